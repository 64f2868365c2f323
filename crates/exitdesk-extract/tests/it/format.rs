//! Forwarded or direct: a provider relaying another party's complaint is a
//! forward (its reporter is the inner party, the provider the forwarder); a
//! sender who writes its own complaint and quotes its earlier notice, its
//! logs or the spam it received is the complainant. Data reports (CSV, XML)
//! are `other`. Synthetic messages only.

use exitdesk_extract::Extractor;
use exitdesk_model::{Complaint, Format};

fn extract(headers: &str, body: &str) -> Complaint {
    let msg = format!("{headers}\nDate: Tue, 04 Mar 2025 09:00:00 +0000\n\n{body}");
    Extractor::new().extract(msg.as_bytes(), "test")
}

fn forwarder(c: &Complaint) -> Option<&str> {
    c.forwarder.as_ref().and_then(|f| f.address.as_deref())
}

#[test]
fn a_cert_report_of_an_attack_is_no_relay() {
    let c = extract(
        "From: isac@cert.example.org\nTo: abuse@hoster.example.com\nSubject: Warning: unauthorized access",
        "Dear Network Manager,\n\nWe have received a report of unauthorized access originating from your site as shown below.\n\n\
         ------------------------------------------------------------\n\
         Date/Time(UTC): 2025/03/03 09:26:32\nSource IP : 192.0.2.145\nAttack Type : Webshell\n\
         ------------------------------------------------------------\n\nPlease stop the attacker and inform us.\n",
    );
    assert_eq!(c.format, Format::Plain);
    assert_eq!(c.forwarder, None);
    assert_eq!(c.complainant.address.as_deref(), Some("isac@cert.example.org"));
    // A provider's relay keeps being one.
    let c = extract(
        "From: abuse@hoster.example.com\nTo: op@example.org\nSubject: Abuse complaint",
        "Dear Client,\n\nWe have received the below abuse message regarding your services.\n\n----\n\
         Hello, attacks from 192.0.2.145 at 2025-03-03 09:26:32 UTC.\n----\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("abuse@hoster.example.com"));
}

#[test]
fn a_sender_quoting_its_own_notice_is_the_complainant() {
    let c = extract(
        "From: Rights Agent <notices@agent.example.org>\nTo: abuse@hoster.example.com\nSubject: Copyright notice: Incident ID 12345",
        "Dear Sir/Madam,\n\nWe act on behalf of our client. Please find below the notice sent to the site.\n\n\
         timestamp seen: 2025-03-03 17:36:02\nip address: 192.0.2.170\n\nPlease confirm by email.\n\n\
         ---------- Forwarded Message ----------\n\nSubject: Copyright notice: Incident ID 12345\nDate: 2025-03-03 17:36:02\n\n\
         Dear Sir/Madam, we are writing on behalf of our client about 192.0.2.170.\n",
    );
    assert_eq!(c.format, Format::Plain);
    assert_eq!(c.forwarder, None);
    assert_eq!(c.complainant.address.as_deref(), Some("notices@agent.example.org"));
}

#[test]
fn a_person_forwarding_the_spam_received_is_the_complainant() {
    let c = extract(
        "From: Pat <pat@mail.example.org>\nTo: abuse@hoster.example.com\nSubject: Fwd: Spam email from bulk@sender.example.net",
        "Dear Abuse Team,\n\nI am writing to report a spam email that I received.\n\
         The email was sent from the domain sender.example.net using the IP address 192.0.2.174.\n\n\
         Please investigate.\n\nBest regards,\nPat\n\n\
         ---------- Forwarded message ---------\nFrom: <bulk@sender.example.net>\nDate: Mon, Mar 3, 2025 at 4:20 PM\n\
         Subject: Cheap pills\nTo: <someone@mail.example.org>\n\nBuy cheap pills now.\n",
    );
    assert_eq!(c.format, Format::Plain);
    assert_eq!(c.forwarder, None);
    assert_eq!(c.complainant.address.as_deref(), Some("pat@mail.example.org"), "the spammer became the reporter");
    // The decision is explained.
    let why = c.evidence.iter().find(|e| e.fact == "format").expect("format evidence");
    assert_eq!(why.value, "direct");
    assert!(why.rule.contains("own words"), "{why:?}");
}

#[test]
fn a_provider_notice_with_the_original_below_is_a_forward() {
    let c = extract(
        "From: noreply_abuse@hoster.example.com\nTo: abuse@customer.example.net\nSubject: Abuse Ticket [#k3m9x2]",
        "Dear customer,\n\nHoster Inc. has received an abuse notification regarding IP address(es) assigned to you.\n\
         Please act before the deadline.\n\nSincerely,\nHoster Inc.\n\n\
         ******************************************\nOriginal notification is placed below\n\
         ******************************************\n\nHello,\n\nWe have found a compromised site at 192.0.2.32 on your network.\n\n\
         Regards,\nSecurity Vendor\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("noreply_abuse@hoster.example.com"));
    let c = extract(
        "From: abuse@lessor.example.com\nTo: abuse@lessee.example.net\nSubject: 192.0.2.77 [login-attack] Abuse originating from IP you are using",
        "Hello,\n\nWe have been notified of potential abuse originating from the IP you are currently using, 192.0.2.77.\n\n\
         --- The following material was provided to us as evidence ---\nhttps://evidence.example.com/share/abc\n---\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("abuse@lessor.example.com"));
}

#[test]
fn a_forward_with_another_partys_headers_is_a_forward() {
    // Outlook's forward: a header block, no marker line.
    let c = extract(
        "From: Infosec <infosec@cdn.example.com>\nTo: abuse@hoster.example.com\nSubject: FW: Domain Takedown",
        "\n\nFrom: Takedowns <domains@brand-agent.example.org>\nDate: Monday, March 3, 2025 at 2:27 AM\n\
         To: \"abuse@cdn.example.com\" <abuse@cdn.example.com>\nSubject: Domain Takedown\n\n\
         Greetings,\n\nA fake page impersonating our client is hosted at IP-192.0.2.87.\nPlease remove it.\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("infosec@cdn.example.com"));
    assert_eq!(c.complainant.address.as_deref(), Some("domains@brand-agent.example.org"));
    let why = c.evidence.iter().find(|e| e.fact == "format").expect("format evidence");
    assert_eq!((why.value.as_str(), why.rule.as_str()), ("forwarded-isp", "another party's forward headers"));
    // An attribution line naming another party.
    let c = extract(
        "From: Infosec <infosec@cdn.example.com>\nTo: abuse@hoster.example.com\nSubject: FW: Issue 4711: Fake shop",
        "\n\u{feff}On 3/2/25, 4:42 AM, \"Takedown Service\" <takedown@vendor.example.org> wrote:\n\n\
         Hello,\n\nWe have detected a fraudulent site hosted on your network: hxxps://shop[.]example[.]org/ [192.0.2.89]\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("infosec@cdn.example.com"));
    // The sender's own earlier mail is no other party's.
    let c = extract(
        "From: Pat <pat@victim.example.org>\nTo: abuse@hoster.example.com\nSubject: Fwd: attacks from 192.0.2.90",
        "Still going on.\n\nOn 3/2/25, 4:42 AM, Pat <pat@victim.example.org> wrote:\n\n\
         Hello, SSH attacks from 192.0.2.90 at 2025-03-02 04:40:00 UTC.\n",
    );
    assert_eq!(c.format, Format::Plain);
    assert_eq!(c.forwarder, None);
}

#[test]
fn a_complaint_forwarded_as_an_attachment_is_a_forward() {
    let headers = "From: Sam <sam@cdn.example.com>\nTo: abuse@cdn.example.com\nSubject: FW: [CERT-X] Private document on a public website\n\
        MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"";
    let body = "--b1\nContent-Type: text/plain\n\nForwarding a copy in case you did not receive it.\nSam\n\n\
        --b1\nContent-Type: message/rfc822\n\nFrom: Helpdesk <help@cdn.example.com>\nSubject: [CERT-X] Private document\n\
        Date: Mon, 03 Mar 2025 10:00:00 +0000\n\nDear team, we are a CERT. A private document is published at \
        https://files.example.org/a.pdf on 192.0.2.50 without permission; this is a copyright infringement. Please remove it.\n--b1--\n";
    let c = extract(headers, body);
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("sam@cdn.example.com"));
    // The enclosed complaint is read as one: its accused address counts.
    assert_eq!(c.reported_ips.iter().map(ToString::to_string).collect::<Vec<_>>(), ["192.0.2.50"]);
    // Spam forwarded as an attachment is a sample, not a relayed complaint.
    let spam = body.replace(
        "Dear team, we are a CERT. A private document is published at \
        https://files.example.org/a.pdf on 192.0.2.50 without permission; this is a copyright infringement. Please remove it.",
        "Buy cheap pills now at https://pills.example.net/",
    );
    assert_eq!(extract(headers, &spam).format, Format::Plain);
}

#[test]
fn a_provider_speaking_to_its_customer_in_german_relays() {
    let c = extract(
        "From: abuse@hoster.example.com\nTo: kunde@example.org\nSubject: [Ticket#2025010110000001] Beschwerde zu 192.0.2.66",
        "Sehr geehrter Kunde,\n\nuns liegt eine Beschwerde zur IP-Adresse 192.0.2.66 vor, die Ihrem Vertrag zugeordnet ist.\n\n\
         --- Ursprüngliche Beschwerde ---\n\nBetreff: Urheberrechtsverletzung\n\nÜber 192.0.2.66 wurde ein Album angeboten.\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    // "the report below", with the accused address named by the provider.
    let c = extract(
        "From: abuse@hoster.example.com\nTo: op@example.org\nSubject: [HX #5582] C2 server on 192.0.2.177",
        "Hello,\n\nwe have received the report below about IP 192.0.2.177, which is assigned to your server.\n\n\
         ---------- Forwarded message ---------\nFrom: Intel <ti@vendor.example.org>\nSubject: C2 at 192.0.2.177\n\n\
         Our researchers found a C2 server at 192.0.2.177.\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(c.complainant.address.as_deref(), Some("ti@vendor.example.org"));
}

#[test]
fn no_reply_statements_are_the_senders_own() {
    let plain =
        |subject: &str, body: &str| extract(&format!("From: abuse@victim.example.org\nSubject: {subject}"), body);
    // Statements spanning lines, in several senders' words.
    for body in [
        "Attacks from 192.0.2.1 at 2025-03-03T10:00:00Z.\n\nDies ist eine automatisch generierte Nachricht. Antworten an die\n\
         Absenderadresse <reports@cert.example.org> werden NICHT gelesen und automatisch verworfen.\n",
        "Scan from 192.0.2.1 at 2025-03-03T10:00:00Z.\nFor questions please use cert@example.org.\n(no-reply@example.org is not monitored!)\n",
        "Scan from 192.0.2.1 at 2025-03-03T10:00:00Z.\nThis is an automated email. Please do not reply to this email.\n",
        "Flood from 192.0.2.1 at 2025-03-03T10:00:00Z.\n(We send so many notices that we can't go through this email inbox;\n\
         follow-ups to noc@example.org.)\n",
        "Botnet drone 192.0.2.1 at 2025-03-03T10:00:00Z.\nThis is an automated message. Replies to this address are not\n\
         processed; for questions contact cert@example.org.\n",
    ] {
        assert!(plain("Abuse", body).no_reply_needed, "{body}");
    }
    assert!(plain("Exploit-runs by 192.0.2.1 / no autoreply / noreply", "Exploits from 192.0.2.1.\n").no_reply_needed);
    assert!(plain("[noreply] abuse report about 192.0.2.1", "Attacks from 192.0.2.1.\n").no_reply_needed);
    assert!(!plain("Abuse from 192.0.2.1", "Attacks from 192.0.2.1. Please reply within 24 hours.\n").no_reply_needed);
    assert!(!plain("No reply received: attacks from 192.0.2.1", "Attacks from 192.0.2.1.\n").no_reply_needed);
    // In a forward, the relayed complaint's "do not answer" is said to the provider.
    let c = extract(
        "From: abuse@hoster.example.com\nTo: op@example.org\nSubject: [Ticket ID: HX-1] Abuse",
        "Dear Client,\n\nWe have received the below abuse message regarding your services. Please confirm in writing.\n\n\
         ----\nAbuse report about 192.0.2.32\n----\nYour server 192.0.2.32 attacked us.\n\
         !!! Do not answer to this Mail! (no resolve-messages) !!!\nPlease do not reply to this email.\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert!(!c.no_reply_needed);
}

/// A multipart message: a short body and one attachment.
fn with_attachment(body: &str, attachment_headers: &str, attachment: &str) -> Complaint {
    extract(
        "From: feed@cert.example.org\nTo: abuse@hoster.example.com\nSubject: [Feed] Infected IPs (AS64500)\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"",
        &format!("--b1\nContent-Type: text/plain\n\n{body}\n--b1\n{attachment_headers}\n\n{attachment}\n--b1--\n"),
    )
}

#[test]
fn a_data_report_is_known_by_its_attachment() {
    // CSV content under a plain-text name.
    let csv = "# Timestamp,ClientIP,Botname,ServerPort\n03.03.2025 09:31:00 +0000,192.0.2.215,ssh-brute-force,22\n";
    let c = with_attachment(
        "Please find a list of infected IP addresses attached.",
        "Content-Type: text/plain; name=\"AS64500.txt\"\nContent-Disposition: attachment; filename=\"AS64500.txt\"",
        csv,
    );
    assert_eq!(c.format, Format::Other);
    // A compressed CSV (not opened), the body only pointing to the data.
    let c = with_attachment(
        "The report content can be obtained from the following link: https://dl.example.org/r\nIt contains 3 events.",
        "Content-Type: application/zip; name=\"2025-03-03-report.csv.zip\"\nContent-Disposition: attachment; filename=\"2025-03-03-report.csv.zip\"\nContent-Transfer-Encoding: base64",
        "UEsDBAoAAAAAAA==",
    );
    assert_eq!(c.format, Format::Other);
    // A body that states the accused itself is the report, whatever is attached.
    let c = with_attachment(
        "We received an abuse report about abuse from 192.0.2.151 (event time 2025-03-03 16:52:02 +01:00).\nAttached is an XML file.",
        "Content-Type: application/xml; name=\"iodef.xml\"\nContent-Disposition: attachment; filename=\"iodef.xml\"",
        "<?xml version=\"1.0\"?>\n<IODEF-Document>\n<Incident/>\n</IODEF-Document>",
    );
    assert_eq!(c.format, Format::Plain);
}

#[test]
fn an_xml_report_in_the_body_is_other() {
    let c = extract(
        "From: antipiracy@agent.example.org\nTo: abuse@hoster.example.com\nSubject: Case 69146059 copyright infringement",
        "Case-ID: 69146059\nPeer IP address: 192.0.2.163\n<?xml version=\"1.0\"?>\n<InvestigationInfo>\n  <CaseList>\n    <Case>\n\
         <PeerIP>192.0.2.163</PeerIP>\n    </Case>\n  </CaseList>\n</InvestigationInfo>\n",
    );
    assert_eq!(c.format, Format::Other);
    // An HTML document is no XML report.
    let c = extract(
        "From: abuse@victim.example.org\nTo: abuse@hoster.example.com\nSubject: Attack",
        "<?xml version=\"1.0\"?>\n<html>\n<body>\n<p>Attacks from 192.0.2.5.</p>\n</body>\n</html>\n",
    );
    assert_ne!(c.format, Format::Other);
}

#[test]
fn a_complaint_sent_to_an_abuse_desk_is_relayed_even_when_the_forwarder_names_the_address() {
    let c = extract(
        "From: Support <support@hoster.example.com>\nTo: op@example.org\nSubject: Fwd: Abuse report for 192.0.2.120",
        "Abuse report for 192.0.2.120, see below.\n\n---------- Forwarded message ---------\n\
         From: NOC <noc@victim.example.org>\nDate: Mon, Mar 3, 2025 at 10:00 AM\nSubject: SSH attacks\nTo: <abuse@hoster.example.com>\n\n\
         SSH brute force from 192.0.2.120 at 2025-03-03 09:59:00 UTC.\n",
    );
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(c.complainant.address.as_deref(), Some("noc@victim.example.org"));
    assert_eq!(forwarder(&c), Some("support@hoster.example.com"));
}

#[test]
fn a_provider_attaching_the_complaint_it_received_relays_it() {
    let headers = "From: Abuse Team <abuse@hoster.example.net>\nTo: op@example.org\n\
        Subject: [HX-1001] SYN flood from 192.0.2.61\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"";
    let body = "--b1\nContent-Type: text/plain\n\nHello,\n\nplease find attached a complaint we received about \
        192.0.2.61, assigned to your server. Please reply within 48 hours.\n\n\
        --b1\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"complaint.eml\"\n\n\
        From: NOC <noc@victim.example.com>\nTo: abuse@hoster.example.net\nSubject: SYN flood from 192.0.2.61\n\
        Date: Mon, 03 Mar 2025 10:00:00 +0000\n\nWe observed a SYN flood from 192.0.2.61 against our frontend.\n\n\
        Time (UTC)           Source       Destination    Dst port\n\
        2025-03-03 09:02:10  192.0.2.61   198.51.100.9   443\n--b1--\n";
    let c = extract(headers, body);
    assert_eq!(c.format, Format::ForwardedIsp);
    assert_eq!(forwarder(&c), Some("abuse@hoster.example.net"));
    assert_eq!(c.complainant.address.as_deref(), Some("noc@victim.example.com"));
    assert_eq!(c.events.len(), 1, "{:?}", c.events);
    assert_eq!(c.dest_ports, [443]);
}
