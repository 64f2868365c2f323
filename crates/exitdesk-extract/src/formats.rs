//! Machine-readable report formats: X-ARF 0.1/0.2 (YAML), XARF v4 (JSON),
//! ACNS (XML, or its text fields), ARF feedback-report fields, and tables
//! (CSV with a header, whitespace-aligned logs with a header).
//!
//! Each reader is tolerant: it takes the fields it understands and ignores the
//! rest, so a malformed report still yields what it states clearly.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::Event as XmlEvent;

/// `Key: value` fields of an X-ARF 0.x `report.txt` (a flat YAML mapping).
///
/// A full YAML parser is not needed and would reject real reports (python
/// tags such as `!!python/unicode 'x'`); this reads one mapping level.
#[derive(Debug, Default, Clone)]
pub(crate) struct XarfYaml {
    pub(crate) fields: HashMap<String, String>,
}

impl XarfYaml {
    pub(crate) fn parse(text: &str) -> Option<XarfYaml> {
        let mut fields = HashMap::new();
        for line in text.lines() {
            if line.starts_with([' ', '\t', '-', '#']) {
                continue;
            }
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let k = k.trim();
            if k.is_empty() || k.contains(' ') || !k.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let mut v = v.trim();
            if let Some(rest) = v.strip_prefix("!!") {
                v = rest.split_once(' ').map_or("", |(_, r)| r.trim());
            }
            let v = v.trim_matches(|c| c == '\'' || c == '"');
            fields.entry(k.to_ascii_lowercase()).or_insert_with(|| v.to_string());
        }
        let looks = fields.contains_key("source")
            && (fields.contains_key("report-type")
                || fields.contains_key("category")
                || fields.contains_key("reported-from"));
        looks.then_some(XarfYaml { fields })
    }

    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.fields.get(k).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// True for a declared X-ARF version (0.1, 0.2).
    pub(crate) fn is_versioned(&self) -> bool {
        self.get("version").is_some_and(|v| v.starts_with("0."))
    }
}

/// The parts of an XARF v4 JSON report that matter here.
#[derive(Debug, Default, Clone)]
pub(crate) struct XarfJson {
    pub(crate) source_ip: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) dest_port: Option<u16>,
    pub(crate) report_id: Option<String>,
    pub(crate) sample_times: Vec<String>,
    pub(crate) reporter_org: Option<String>,
    pub(crate) reporter_email: Option<String>,
    /// `Report.Category` (XARF v4: `connection`, `content`, …, or v0.3 `abuse`).
    pub(crate) category: Option<String>,
    /// `Report.Type` / `Report.ReportType` (`login_attack`, `LoginAttack`, `port_scan`, …).
    pub(crate) kind: Option<String>,
    /// `Report.Service` (`ssh`, `http`, …), when given.
    pub(crate) service: Option<String>,
    /// `Report.ReportClass` (XARF v4: `Activity` for traffic, `Content` for
    /// something on the address).
    pub(crate) class: Option<String>,
}

impl XarfJson {
    pub(crate) fn parse(text: &str) -> Option<XarfJson> {
        let t = text.trim_start();
        if !t.starts_with('{') {
            return None;
        }
        let v: serde_json::Value = serde_json::from_str(t).ok()?;
        let report = v.get("Report")?;
        let s = |x: Option<&serde_json::Value>| x.and_then(|x| x.as_str()).map(str::to_string);
        let port = |x: Option<&serde_json::Value>| {
            x.and_then(|x| x.as_u64().or_else(|| x.as_str().and_then(|s| s.parse().ok())))
                .and_then(|p| u16::try_from(p).ok())
        };
        let source_ip = s(report.get("SourceIp"))
            .or_else(|| s(report.get("Source").and_then(|src| src.get("Ip").or_else(|| src.get("IP")))))
            .or_else(|| s(report.get("Source")));
        let mut sample_times = Vec::new();
        if let Some(samples) = report.get("Samples").and_then(|x| x.as_array()) {
            for sample in samples.iter().take(10_000) {
                // A sample's own time field, else its description (a log line).
                let own = ["Date", "Timestamp", "Time"].iter().find_map(|k| sample.get(*k).and_then(|d| d.as_str()));
                if let Some(d) = own.or_else(|| sample.get("Description").and_then(|d| d.as_str())) {
                    sample_times.push(d.to_string());
                }
            }
        }
        let info = v.get("ReporterInfo");
        Some(XarfJson {
            source_ip,
            date: s(report.get("Date")),
            dest_port: port(report.get("DestinationPort")),
            report_id: s(report.get("ReportId")).or_else(|| s(v.get("ReportId"))),
            sample_times,
            reporter_org: s(info.and_then(|i| i.get("ReporterOrg"))),
            reporter_email: s(info.and_then(|i| i.get("ReporterContactEmail").or_else(|| i.get("ReporterOrgEmail")))),
            category: s(report.get("Category")).or_else(|| s(v.get("category"))),
            kind: s(report.get("ReportType"))
                .or_else(|| s(report.get("Type")))
                .or_else(|| s(v.get("type")))
                .or_else(|| s(report.get("ReportClass"))),
            service: s(report.get("Service")).or_else(|| s(report.get("Protocol"))),
            class: s(report.get("ReportClass")),
        })
    }
}

/// The fields of an ACNS notice.
#[derive(Debug, Default, Clone)]
pub(crate) struct Acns {
    pub(crate) case_id: Option<String>,
    pub(crate) ip: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) timestamp: Option<String>,
    /// The text notice's `Recent Infringement Timestamp:` (the last seen).
    pub(crate) recent: Option<String>,
    pub(crate) complainant: Option<String>,
    pub(crate) complainant_email: Option<String>,
    /// `Source/Type` or `Source/Deja_Vu`-style protocol (`BitTorrent`, `HTTP`, …).
    pub(crate) protocol: Option<String>,
    /// Read from well-formed XML (rather than from text fields).
    pub(crate) from_xml: bool,
}

impl Acns {
    /// Reads the `<Infringement>` XML inside `text`, if there is one.
    pub(crate) fn from_xml(text: &str) -> Option<Acns> {
        let start = text.find("<Infringement")?;
        let end = text[start..].find("</Infringement>").map(|e| start + e + "</Infringement>".len())?;
        let xml = &text[start..end];
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut path: Vec<String> = Vec::new();
        let mut values: HashMap<String, String> = HashMap::new();
        loop {
            match reader.read_event() {
                Ok(XmlEvent::Start(e)) => {
                    path.push(e.local_name().as_ref().to_string());
                    if path.len() > 32 {
                        return None;
                    }
                }
                Ok(XmlEvent::End(_)) => {
                    path.pop();
                }
                Ok(XmlEvent::Text(t)) => {
                    let v = t.xml10_content().trim().to_string();
                    if !v.is_empty() {
                        values.entry(path.join("/")).or_insert(v);
                    }
                }
                Ok(XmlEvent::CData(t)) => {
                    let v = t.into_inner().trim().to_string();
                    if !v.is_empty() {
                        values.entry(path.join("/")).or_insert(v);
                    }
                }
                Ok(XmlEvent::Eof) => break,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        let get = |k: &str| values.get(&format!("Infringement/{k}")).cloned();
        let acns = Acns {
            case_id: get("Case/ID"),
            ip: get("Source/IP_Address"),
            port: get("Source/Port").and_then(|p| p.parse().ok()),
            timestamp: get("Source/TimeStamp"),
            recent: None,
            complainant: get("Complainant/Entity"),
            complainant_email: get("Complainant/Email"),
            protocol: get("Source/Type").or_else(|| get("Source/Protocol")),
            from_xml: true,
        };
        (acns.ip.is_some() || acns.case_id.is_some()).then_some(acns)
    }

    /// Reads ACNS text fields ("Infringer's IP Address: …"), which survive when
    /// the XML is malformed or flattened into prose.
    pub(crate) fn from_text(text: &str) -> Option<Acns> {
        let field = |label: &str| -> Option<String> {
            let p = text.find(label)?;
            let rest = text[p + label.len()..].trim_start();
            let v: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            (!v.is_empty()).then_some(v)
        };
        let ip = field("Infringer's IP Address:").or_else(|| field("Infringer’s IP Address:"));
        ip.as_ref()?;
        Some(Acns {
            case_id: field("Notice ID:"),
            ip,
            port: field("Infringer's Port:").or_else(|| field("Port ID:")).and_then(|p| p.parse().ok()),
            timestamp: field("Initial Infringement Timestamp:"),
            recent: field("Recent Infringement Timestamp:"),
            complainant: None,
            complainant_email: field("Email:").filter(|e| e.contains('@')),
            protocol: field("Protocol:"),
            from_xml: false,
        })
    }
}

/// The columns of a table this module knows how to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Ip,
    Time,
    Date,
    DestIp,
    DestPort,
    SrcPort,
    Protocol,
    Other,
}

/// A Latin letter with its accent dropped (`á` → `a`, `ł` → `l`), so that
/// column names compare in ASCII ("Cílová IP" → `cilovaip`).
fn unaccent(c: char) -> char {
    match c.to_lowercase().next().unwrap_or(c) {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' => 'u',
        'ý' => 'y',
        'ç' | 'č' | 'ć' => 'c',
        'ř' => 'r',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        'ñ' | 'ń' => 'n',
        'ď' => 'd',
        'ť' => 't',
        _ => c,
    }
}

/// Words that introduce a list of column names ("Columns: a, b, c").
const COLUMN_LABELS: &[&str] = &[
    "columns", "fields", "format", "spalten", "felder", "colonnes", "champs", "columnas", "campos", "kolommen",
    "colonne",
];

/// Whether a field name (a JSON key, a `key=value` name) names an incident
/// time: a time column's name ("timestamp", "first_seen"), or a span's end
/// ("start", "end_time"), with a unit suffix allowed ("start_ms",
/// "last_seen_epoch"). Report times ("exported_ms", "created") do not.
pub(crate) fn is_time_key(name: &str) -> bool {
    let n: String = name.chars().filter(char::is_ascii_alphanumeric).flat_map(char::to_lowercase).collect();
    let bare = ["epoch", "unix", "msec", "millis", "ms", "sec", "secs", "ts", "utc"]
        .iter()
        .find_map(|u| n.strip_suffix(u).filter(|b| b.len() >= 3))
        .unwrap_or(&n);
    column_of(bare) == Column::Time
        || column_of(&n) == Column::Time
        || ["start", "end", "begin", "stop", "started", "ended", "starttime", "endtime", "firstseenat", "lastseenat"]
            .contains(&bare)
}

fn column_of(name: &str) -> Column {
    let n: String = name
        .split('(')
        .next()
        .unwrap_or("")
        .chars()
        .map(unaccent)
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match n.as_str() {
        "ip" | "srcip" | "sourceip" | "ipaddress" | "src" | "source" | "attacker" | "attackerip" | "infectedip"
        | "offendingip" | "ipv4" | "ipv6" | "clientip" | "remoteip" | "sourceaddress" | "srcaddr" | "ipadresse"
        | "ipadress" | "adresseip" | "quellip" | "quelladresse" | "ipadresa" | "direccionip"
        // nl, cs, pl, es, pt, it, fr
        | "ipadres" | "bron" | "bronip" | "bronadres" | "zdrojovaip" | "zdrojovaadresa" | "zdroj" | "ipzrodlowe" | "zrodlo"
        | "iporigen" | "ipdeorigen" | "origen" | "iporigem" | "enderecoip" | "origem" | "iporigine" | "ipsorgente"
        | "sorgente" | "ipsource" | "adressesource" => Column::Ip,
        "timestamp"
        | "time"
        | "datetime"
        | "eventtime"
        | "timeutc"
        | "timerange"
        | "approximatetimerange"
        | "firstseen"
        | "lastseen"
        | "seen"
        | "attacktime"
        | "zeit"
        | "zeitpunkt"
        | "datumzeit"
        | "zeitstempel"
        | "horodatage"
        | "fechahora"
        | "tijdstip"
        | "tijd"
        | "cas"
        | "czas"
        | "datahora"
        | "dataora"
        // Unix time (seconds since 1970, UTC).
        | "epoch"
        | "timeepoch"
        | "epochtime"
        | "unixtime"
        | "unixtimestamp"
        | "timestampepoch" => Column::Time,
        "date" | "eventdate" | "day" => Column::Date,
        "dst" | "dstip" | "destip" | "destinationip" | "dest" | "destination" | "targetip" | "dstaddr" | "victimip"
        | "zielip" | "zieladresse" | "serverip" | "target" | "targethost" | "victim" | "ziel" | "doel" | "doelip" | "doeladres"
        | "cilovaip" | "cilovaadresa" | "ipdocelowe" | "ipdestino" | "destino" | "ipdestinazione" | "destinazione"
        | "ipdestination" | "ipcible" | "cible" => Column::DestIp,
        "dstport" | "destport" | "destinationport" | "dport" | "dpt" | "targetport" | "zielport" | "serverport"
        | "doelpoort" | "cilovyport" | "portdocelowy" | "puertodestino" | "puertodedestino" | "portadestino"
        | "portadedestino" | "portadestinazione" | "portdestination" | "portdedestination" | "portcible" => {
            Column::DestPort
        }
        "srcport" | "sourceport" | "sport" | "spt" | "clientport" | "bronpoort" | "zdrojovyport" | "portzrodlowy"
        | "puertoorigen" | "puertodeorigen" | "portaorigem" | "portaorigine" | "portsource" | "quellport" => {
            Column::SrcPort
        }
        "protocol" | "proto" | "prot" => Column::Protocol,
        _ => Column::Other,
    }
}

/// A table header: column kinds and separator (`None`: whitespace-aligned).
#[derive(Debug, Clone)]
pub(crate) struct TableHeader {
    pub(crate) columns: Vec<Column>,
    pub(crate) sep: Option<char>,
    /// For a whitespace-aligned header whose columns are set apart by two or
    /// more spaces (`Source IP  Target  Port  First seen`, an HTML table's
    /// cells): the kinds of those cells. A row split the same way into as
    /// many cells maps to them left to right (its cells may hold spaces).
    pub(crate) wide: Vec<Column>,
}

impl TableHeader {
    /// Recognises a header line of a CSV (`,`/`;`/tab) or whitespace table.
    pub(crate) fn parse(line: &str) -> Option<TableHeader> {
        let t = line.trim().trim_start_matches('\u{feff}');
        // Column names hold few digits (`timestamp(UTC+0)`); data rows many.
        if t.is_empty() || t.len() > 400 || t.bytes().filter(u8::is_ascii_digit).count() > 6 {
            return None;
        }
        // A label may introduce the column names ("Format: ASN | IP | Timestamp (UTC)").
        // A word that says so may introduce them with any separator
        // ("Columns: epoch (seconds), source, destination, dport").
        let t = match t.split_once(": ") {
            Some((label, rest))
                if label.len() <= 12
                    && !label.contains('|')
                    && (t.contains('|') || COLUMN_LABELS.contains(&label.trim().to_lowercase().as_str())) =>
            {
                rest
            }
            _ => t,
        };
        for sep in [',', ';', '\t', '|'] {
            if t.matches(sep).count() >= 2 {
                let cells = split_csv(framed(t, sep), sep);
                if cells.iter().all(|c| is_name(c)) {
                    let columns: Vec<Column> = cells.iter().map(|c| column_of(c)).collect();
                    if columns.iter().any(|c| matches!(c, Column::Ip | Column::DestIp | Column::Time)) {
                        return Some(TableHeader { columns, sep: Some(sep), wide: Vec::new() });
                    }
                }
                return None;
            }
        }
        // Whitespace-aligned: `TIME (UTC)  SRC  SRC-PORT -> DST  DST-PORT SIZE PROT`.
        // Every token must be a column name or an arrow (joining two-word
        // names below keeps names names): most lines fail here, unallocated.
        if !t
            .split_whitespace()
            .all(|tok| (tok.starts_with('(') && tok.ends_with(')')) || is_name(tok) || tok == "->" || tok == "=>")
        {
            return None;
        }
        let mut tokens: Vec<String> = Vec::new();
        for tok in t.split_whitespace() {
            if tok.starts_with('(') && tok.ends_with(')') {
                continue; // a unit or zone annotation of the previous column
            }
            tokens.push(tok.to_string());
        }
        // Columns set apart by wide gaps: a name is what lies between them.
        let wide = wide_cells(t)
            .filter(|cells| {
                cells.len() >= 3
                    && cells.iter().all(|c| c.split_whitespace().filter(|w| !w.starts_with('(')).count() <= 2)
            })
            .map(|cells| columns_of_cells(&cells))
            .unwrap_or_default();
        // Two-word column names ("dst port", "source ip") are one column,
        // unless a wide gap sets the words apart ("Target   Port").
        let mut merged: Vec<String> = Vec::with_capacity(tokens.len());
        let mut apart = Vec::with_capacity(tokens.len());
        let mut from = 0;
        for tok in t.split_whitespace().filter(|tok| !(tok.starts_with('(') && tok.ends_with(')'))) {
            let at = t[from..].find(tok).map_or(from, |p| from + p);
            apart.push(!wide.is_empty() && t[..at].ends_with("  "));
            from = at + tok.len();
        }
        for (k, tok) in tokens.into_iter().enumerate() {
            let joins = !apart.get(k).copied().unwrap_or(false)
                && merged.last().is_some_and(|prev| {
                    let p = prev.to_ascii_lowercase();
                    let t = tok.to_ascii_lowercase();
                    ["dst", "src", "source", "destination", "dest", "target", "remote", "local", "client", "server"]
                        .contains(&p.as_str())
                        && ["port", "ip", "address", "addr", "host"].contains(&t.as_str())
                });
            match merged.last_mut() {
                Some(prev) if joins => {
                    prev.push('_');
                    prev.push_str(&tok);
                }
                _ => merged.push(tok),
            }
        }
        let tokens = merged;
        // "Associated IP Addresses:" introduces values; a header names columns.
        if t.ends_with(':') {
            return None;
        }
        if tokens.len() < 3 || !tokens.iter().all(|c| is_name(c) || c == "->" || c == "=>") {
            return None;
        }
        let names: Vec<&str> = tokens.iter().map(String::as_str).filter(|c| *c != "->" && *c != "=>").collect();
        let columns = columns_of_cells(&names);
        let ipish = columns.iter().filter(|c| matches!(c, Column::Ip | Column::DestIp | Column::DestPort)).count();
        let addresses = columns.iter().filter(|c| matches!(c, Column::Ip | Column::DestIp)).count();
        let short = tokens.iter().all(|t| t.chars().count() <= 16) && tokens.len() <= 14;
        (short && (ipish >= 2 || addresses >= 1)).then_some(TableHeader { columns, sep: None, wide })
    }

    /// Maps a data row to cells by column. CSV rows map left to right;
    /// whitespace rows map right-aligned, since the leftmost (time) column
    /// often spans several tokens and some middle cells may be empty.
    pub(crate) fn row<'l>(&self, line: &'l str) -> Vec<(Column, Cow<'l, str>)> {
        match self.sep {
            Some(sep) => {
                let cells = split_csv(framed(line.trim(), sep), sep);
                // Names listed with commas over rows set apart by tabs or wide gaps.
                if cells.len() < 2 {
                    if let Some(cells) = wide_cells(line).filter(|c| c.len() == self.columns.len()) {
                        return self.columns.iter().copied().zip(cells.into_iter().map(Cow::Borrowed)).collect();
                    }
                }
                self.columns.iter().copied().zip(cells).collect()
            }
            None => {
                if let Some(cells) = wide_cells(line).filter(|_| !self.wide.is_empty()) {
                    if cells.len() == self.wide.len() {
                        return self.wide.iter().copied().zip(cells.into_iter().map(Cow::Borrowed)).collect();
                    }
                    // "203.0.113.230 -> 192.0.2.203:8080" under "Source   Target":
                    // an arrow sets two cells apart as a wide gap does.
                    let split: Vec<&str> = cells
                        .iter()
                        .flat_map(|c| c.split(" -> ").flat_map(|p| p.split(" => ")))
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect();
                    if split.len() == self.wide.len() {
                        return self.wide.iter().copied().zip(split.into_iter().map(Cow::Borrowed)).collect();
                    }
                }
                // Arrows are separators, not cells (the header's own arrow was dropped too).
                let cell = |t: &&str| *t != "->" && *t != "=>";
                // On ASCII text without a vertical tab, the ASCII whitespace
                // bytes are exactly the whitespace `split_whitespace` splits
                // at, and a byte scan is cheaper than decoding chars.
                if line.is_ascii() && !line.contains('\u{b}') {
                    self.cells_from_end(line.split_ascii_whitespace().filter(cell))
                } else {
                    self.cells_from_end(line.split_whitespace().filter(cell))
                }
            }
        }
    }

    /// The columns paired with the last tokens of a whitespace row, walking
    /// both from the end; nothing if there are fewer tokens than columns.
    fn cells_from_end<'l>(&self, tokens: impl DoubleEndedIterator<Item = &'l str>) -> Vec<(Column, Cow<'l, str>)> {
        let mut row = Vec::with_capacity(self.columns.len());
        row.extend(self.columns.iter().rev().copied().zip(tokens.rev().map(Cow::Borrowed)));
        // A row has at least as many cells as the header (times span
        // several tokens); a shorter line is prose, not a row.
        if row.len() < self.columns.len() {
            return Vec::new();
        }
        row.reverse();
        row
    }
}

/// The cells of a line whose columns are set apart by runs of two or more
/// whitespace characters (a tab counts as a run); `None` without such a gap.
fn wide_cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    let mut cells = Vec::new();
    let mut start = 0;
    let mut run = 0;
    let mut run_start = 0;
    let mut wide = false;
    for (i, ch) in t.char_indices() {
        if ch.is_whitespace() {
            if run == 0 {
                run_start = i;
            }
            run += if ch == '\t' { 2 } else { 1 };
        } else {
            if run >= 2 {
                cells.push(&t[start..run_start]);
                start = i;
                wide = true;
            }
            run = 0;
        }
    }
    cells.push(&t[start..]);
    wide.then_some(cells)
}

/// Column kinds of a wide header's cells. A bare `Port` right after a
/// destination column is that destination's port.
fn columns_of_cells(cells: &[&str]) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::with_capacity(cells.len());
    for c in cells {
        let mut col = column_of(c);
        let bare = c.split('(').next().unwrap_or("").trim();
        if col == Column::Other && bare.eq_ignore_ascii_case("port") && out.last() == Some(&Column::DestIp) {
            col = Column::DestPort;
        }
        out.push(col);
    }
    out
}

fn is_name(c: &str) -> bool {
    let c = c.trim().trim_matches('"');
    !c.is_empty()
        && c.len() <= 40
        && c.chars().any(|ch| ch.is_alphabetic())
        && c.chars().filter(|ch| ch.is_ascii_digit()).count() <= 2
        && !c.contains('@')
        && !has_inner_dot(c)
}

/// A dot inside a word (`192.0.2.1`, `example.org`, `v1.2`) marks data; an
/// abbreviation's dot before a space or at the end (`Dest. Port`, `No.`) does not.
fn has_inner_dot(c: &str) -> bool {
    let b = c.as_bytes();
    b.iter().enumerate().any(|(i, ch)| *ch == b'.' && b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()))
}

/// A row framed by its separator (`| a | b |`, a drawn table) without the
/// outer frame.
fn framed(t: &str, sep: char) -> &str {
    match t.strip_prefix(sep) {
        Some(inner) if sep == '|' => inner.strip_suffix(sep).unwrap_or(inner),
        _ => t,
    }
}

/// Splits one CSV line, honouring double quotes. Cells are trimmed; a line
/// without quotes is split in place (no copies).
pub(crate) fn split_csv(line: &str, sep: char) -> Vec<Cow<'_, str>> {
    if !line.contains('"') {
        return line.split(sep).map(|c| Cow::Borrowed(c.trim())).collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(Cow::Owned(std::mem::take(&mut cur).trim().to_string())),
            c => cur.push(c),
        }
    }
    out.push(Cow::Owned(cur.trim().to_string()));
    out
}

#[cfg(test)]
mod test {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn framed_and_foreign_headers() {
        let h = TableHeader::parse("| Tijdstip | IP-adres | Doelpoort | Verzoeken |").unwrap();
        assert_eq!(h.columns, vec![Column::Time, Column::Ip, Column::DestPort, Column::Other]);
        let row = h.row("| 2025-10-06 18:02:11 | 192.0.2.14 | 443 | 18.230 |");
        assert_eq!(row[1], (Column::Ip, "192.0.2.14".into()));
        assert_eq!(row[2], (Column::DestPort, "443".into()));
        let h = TableHeader::parse("Zdrojová IP | Cílová IP | Cílový port | Čas").unwrap();
        assert_eq!(h.columns, vec![Column::Ip, Column::DestIp, Column::DestPort, Column::Time]);
    }

    #[test]
    fn xarf_yaml_with_python_tags() {
        let y = XarfYaml::parse("---\nReported-From: a@example.org\nCategory: abuse\nReport-Type: login-attack\nVersion: 0.2\nDate: 'Thu, 30 Dec 2021 01:47:45 +0100'\nSource: 192.0.2.5\nTargeted-URL: !!python/unicode 'http://x/'\nPort: 22\n").unwrap();
        assert_eq!(y.get("source"), Some("192.0.2.5"));
        assert_eq!(y.get("targeted-url"), Some("http://x/"));
        assert_eq!(y.get("date"), Some("Thu, 30 Dec 2021 01:47:45 +0100"));
        assert!(y.is_versioned());
        assert!(XarfYaml::parse("Hello: world\nfoo: bar").is_none());
    }

    #[test]
    fn xarf_json() {
        let j = XarfJson::parse(r#"{"Version":"1","ReporterInfo":{"ReporterOrg":"Ex"},"Report":{"ReportType":"LoginAttack","Date":"2022-03-26T19:21:40+00:00","SourceIp":"192.0.2.7","DestinationPort":443,"Samples":[{"Description":"Attack on: 2022-03-27T11:02:15+00:00"}]}}"#).unwrap();
        assert_eq!(j.source_ip.as_deref(), Some("192.0.2.7"));
        assert_eq!(j.dest_port, Some(443));
        assert_eq!(j.sample_times.len(), 1);
        assert_eq!(j.reporter_org.as_deref(), Some("Ex"));
        // Samples with a time field of their own.
        let j = XarfJson::parse(r#"{"Report":{"Date":"2025-11-03T08:12:45Z","SourceIp":"2001:db8::17","Samples":[{"Date":"2025-11-03T08:12:45Z","Request":"POST /xmlrpc.php"},{"Date":"2025-11-03T08:31:02Z"}]}}"#).unwrap();
        assert_eq!(j.sample_times, ["2025-11-03T08:12:45Z", "2025-11-03T08:31:02Z"]);
    }

    #[test]
    fn acns_xml_and_text() {
        let x = Acns::from_xml("junk <Infringement xmlns=\"http://www.acns.net/ACNS\"><Case><ID>123</ID></Case><Source><TimeStamp>2015-11-13T20:35:03Z</TimeStamp><IP_Address>192.0.2.200</IP_Address><Port>35657</Port></Source></Infringement>").unwrap();
        assert_eq!(x.case_id.as_deref(), Some("123"));
        assert_eq!(x.port, Some(35657));
        let t = Acns::from_text("Protocol: BITTORRENT Infringer's IP Address: 192.0.2.144 Infringer's Port: 40606 Initial Infringement Timestamp: 2019-03-10T00:42:46Z").unwrap();
        assert_eq!(t.ip.as_deref(), Some("192.0.2.144"));
        assert_eq!(t.timestamp.as_deref(), Some("2019-03-10T00:42:46Z"));
    }

    /// Whitespace rows pair the columns with the last tokens, split as
    /// `split_whitespace` splits (vertical tabs and non-ASCII spaces too).
    #[test]
    fn names_introduced_by_a_label_over_tab_rows() {
        let h = TableHeader::parse("Columns: epoch (seconds), source, destination, dport, proto").unwrap();
        assert_eq!(h.columns, vec![Column::Time, Column::Ip, Column::DestIp, Column::DestPort, Column::Protocol]);
        let row = h.row("1744750712\t192.0.2.19\t198.51.100.131\t23\ttcp");
        assert_eq!(row[0], (Column::Time, "1744750712".into()));
        assert_eq!(row[3], (Column::DestPort, "23".into()));
        assert!(TableHeader::parse("Note: a, b, c").is_none());
    }

    #[test]
    fn whitespace_rows_are_the_last_tokens() {
        let h = TableHeader::parse("time                protocol src_ip src_port          dest_ip dest_port").unwrap();
        let reference = |line: &str| -> Vec<(Column, String)> {
            let mut tokens: Vec<&str> = line.split_whitespace().collect();
            tokens.retain(|t| *t != "->" && *t != "=>");
            if tokens.len() < h.columns.len() {
                return Vec::new();
            }
            let toks = &tokens[tokens.len() - h.columns.len()..];
            h.columns.iter().copied().zip(toks.iter().map(|t| t.to_string())).collect()
        };
        for line in [
            "Tue Aug  7 09:30:21 2018 TCP   192.0.2.5 47307 =>    198.51.100.92 3022 ",
            "Tue Aug  7 09:30:21 2018 TCP\u{b}192.0.2.5 47307 => 198.51.100.92 3022",
            "Tue Aug  7 09:30:21 2018 TCP\u{a0}192.0.2.5 47307 -> 198.51.100.92\u{2003}3022",
            "\t09:30:21 TCP 192.0.2.5 47307 198.51.100.92 3022\r",
            "TCP 192.0.2.5 47307 198.51.100.92 3022",
            "",
        ] {
            let got: Vec<(Column, String)> = h.row(line).into_iter().map(|(c, t)| (c, t.into_owned())).collect();
            assert_eq!(got, reference(line), "{line:?}");
        }
    }

    /// Columns set apart by wide gaps keep their own names: two words in one
    /// cell are one column, two cells are never merged, and a row whose cells
    /// hold spaces maps left to right.
    #[test]
    fn wide_gaps_set_columns_apart() {
        let h =
            TableHeader::parse("Source              Target            Port   First seen            Last seen").unwrap();
        let row = h.row("192.0.2.17          198.51.100.150    8443   2025-09-18 10:02:11   2025-09-18 10:02:59");
        assert_eq!(row[0], (Column::Ip, "192.0.2.17".into()));
        assert_eq!(row[1], (Column::DestIp, "198.51.100.150".into()));
        assert_eq!(row[2], (Column::DestPort, "8443".into()));
        assert_eq!(row[3], (Column::Time, "2025-09-18 10:02:11".into()));
        // An HTML table's cells, joined by two spaces.
        let h = TableHeader::parse("Time (CET)  Source IP  Target  Port  Request  Action").unwrap();
        let row = h.row("2026-01-19 11:02:15  192.0.2.150  198.51.100.80  443  GET /.env  blocked");
        assert!(row.contains(&(Column::Ip, "192.0.2.150".into())));
        assert!(row.contains(&(Column::DestIp, "198.51.100.80".into())));
        assert!(row.contains(&(Column::DestPort, "443".into())));
        // An arrow between two cells sets them apart as a wide gap does.
        let h = TableHeader::parse("Time (HST)           Source           Target             Request").unwrap();
        let row = h.row("07/02/2025 18:04:35  192.0.2.230 -> 198.51.100.203:80     POST /boaform/admin/formLogin");
        assert_eq!(row[1], (Column::Ip, "192.0.2.230".into()));
        assert_eq!(row[2], (Column::DestIp, "198.51.100.203:80".into()));
        // A bare "Port" beside the source is no destination port.
        let h = TableHeader::parse("Source IP  Port  Time").unwrap();
        assert!(!h.row("192.0.2.1  51234  2025-01-01 10:00:00").iter().any(|(c, _)| *c == Column::DestPort));
    }

    #[test]
    fn pipe_tables_with_a_label() {
        let h = TableHeader::parse("Format: IP | Zeitstempel (UTC) | Zielport | Anfrage").unwrap();
        let row = h.row("192.0.2.140 | 2025-06-17 23:04:51 | 443 | POST /x | y");
        assert_eq!(row[0], (Column::Ip, "192.0.2.140".into()));
        assert_eq!(row[1], (Column::Time, "2025-06-17 23:04:51".into()));
        assert_eq!(row[2], (Column::DestPort, "443".into()));
        assert!(TableHeader::parse("Note: this | that | other").is_none());
    }

    #[test]
    fn tables() {
        let h = TableHeader::parse("\u{feff}IP,timestamp(UTC+0),source_port,destination_port").unwrap();
        let row = h.row("192.0.2.30,2022-09-22T00:00:39.000Z,52812,22");
        assert_eq!(row[0], (Column::Ip, "192.0.2.30".into()));
        assert_eq!(row[3], (Column::DestPort, "22".into()));
        let h = TableHeader::parse("time                protocol src_ip src_port          dest_ip dest_port").unwrap();
        let row = h.row("Tue Aug  7 09:30:21 2018 TCP   192.0.2.5 47307 =>    198.51.100.92 3022 ");
        assert!(row.contains(&(Column::DestPort, "3022".into())));
        assert!(row.contains(&(Column::DestIp, "198.51.100.92".into())));
        assert!(row.contains(&(Column::Ip, "192.0.2.5".into())));
        let h = TableHeader::parse("                DateTime   Action      AttackClass      SourceIP Srcport Protocol   DestinationIP DestPort").unwrap();
        let row = h.row(
            "0   28-Oct-2024 19:39:11   DENIED                   192.0.2.37   36163      TCP  198.51.100.233       22",
        );
        assert!(row.contains(&(Column::DestPort, "22".into())));
        assert!(TableHeader::parse("Dear Sir or Madam, please read this").is_none());
        let h = TableHeader::parse("IP               Port  Count").unwrap();
        assert!(h.row("192.0.2.21    22    98").contains(&(Column::Ip, "192.0.2.21".into())));
        assert!(h.row("192.0.2.21").is_empty());
        // Abbreviated names keep their dots; dotted data is no name.
        let h = TableHeader::parse("Time,Destination IP,Dest. Port,Source IP,Sc. Port,Type,More info").unwrap();
        let row = h.row("2021-04-09 09:59:57 +0000,198.51.100.4,445,192.0.2.157,4206,x,y");
        assert!(row.contains(&(Column::DestPort, "445".into())));
        assert!(row.contains(&(Column::DestIp, "198.51.100.4".into())));
        assert!(row.contains(&(Column::Ip, "192.0.2.157".into())));
        assert!(TableHeader::parse("host,example.org,other").is_none());
        assert!(TableHeader::parse("Associated IP Addresses:").is_none());
    }
}
