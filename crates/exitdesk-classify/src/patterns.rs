//! The keyword and log-line patterns, by scenario.
//!
//! Each pattern is one rule: a stable name (shown to the operator), the
//! scenario it speaks for, an optional sub-kind, a weight and a
//! case-insensitive regular expression. Patterns are searched in the subject
//! and the prose (logs and tables included), never in quoted spam.
//!
//! Weights: about 0.9 for a fact that names the scenario on its own (an sshd
//! failure line, a SQL injection payload), 0.5–0.7 for a clear keyword
//! ("brute force", "copyright"), 0.2–0.4 for words that only lean one way.

use exitdesk_model::Scenario::{self, *};

/// One pattern row.
pub(crate) struct Pattern {
    pub(crate) rule: &'static str,
    pub(crate) scenario: Scenario,
    pub(crate) subkind: Option<&'static str>,
    pub(crate) weight: f64,
    pub(crate) regex: &'static str,
}

const fn p(rule: &'static str, scenario: Scenario, weight: f64, regex: &'static str) -> Pattern {
    Pattern { rule, scenario, subkind: None, weight, regex }
}

const fn k(rule: &'static str, scenario: Scenario, subkind: &'static str, weight: f64, regex: &'static str) -> Pattern {
    Pattern { rule, scenario, subkind: Some(subkind), weight, regex }
}

/// Patterns that mean "somebody tried to log in". They are scored for
/// [`SshBruteforce`] first and moved to [`WebBruteforce`] when the target is a website.
pub(crate) const LOGIN_RULES: &[&str] =
    &["kw.login_attempts", "kw.brute_force", "kw.login_more_languages", "xarf.login_attack"];

/// The table. Order does not matter; names must be unique.
pub(crate) const PATTERNS: &[Pattern] = &[
    // ---- login brute force (SSH and other services) ----
    k(
        "log.sshd",
        SshBruteforce,
        "ssh",
        0.9,
        r"sshd\[\d+\]|failed password for|invalid user \S+ from|connection closed by (authenticating|invalid) user|disconnected from (authenticating|invalid) user|maximum authentication attempts|pam_unix\(sshd:auth\)|did not receive identification string",
    ),
    k(
        "log.mail_auth",
        SshBruteforce,
        "mail",
        0.9,
        r"(imap|pop3|submission)-login:|smtp_?auth\[\d+\]|failed:.{0,80}password|dovecot.{0,80}auth(entication)? fail|sasl (login|plain|cram-md5)( authentication)? failed|sasl_method=|authentication failed: (authentication failure|UGFzc3dvcmQ6)|535 5\.7\.8",
    ),
    k(
        "log.ftp_auth",
        SshBruteforce,
        "ftp",
        0.85,
        r"(vsftpd|proftpd|pure-ftpd|filezilla).{0,100}(fail|incorrect|denied)|fail login:",
    ),
    k("kw.rdp", SshBruteforce, "rdp", 0.5, r"\brdp\b|remote desktop|\bterminal services\b"),
    k("kw.ssh", SshBruteforce, "ssh", 0.35, r"\bssh(d)?\b|\bport 22\b|\b22/tcp\b"),
    k("kw.mail_service", SshBruteforce, "mail", 0.35, r"\b(imap|pop3|smtp[ -]auth|sasl|dovecot)\b"),
    k(
        "kw.other_login_service",
        SshBruteforce,
        "service",
        0.3,
        r"\b(telnet|ftp|vnc|mssql|mysql|postgres(ql)?)\b.{0,40}\b(login|auth|password)",
    ),
    p(
        "kw.login_attempts",
        SshBruteforce,
        0.6,
        r"(failed|unauthori[sz]ed|invalid|repeated|multiple|numerous)\s+(login|log-in|logon|authentication|sign-?in)s?(\s+attempts?)?|(login|logon|auth|authentication) failed|(incorrect|wrong|bad) password|password incorrect|(login|log-in|logon|authentication|password)\s+(attempts?|failures?|attacks?)\b|login[ _-]?attacks?|anmeldeversuch|login-versuch|fehlgeschlagene anmeld|tentatives? de connexion|intentos? de (acceso|inicio de sesi[oó]n|login|autenticaci[oó]n)|pokus(y|ů)? o přihlášení|попыт\S* (входа|авторизации)|tentativas? de (login|acesso|autentica)",
    ),
    p(
        "kw.brute_force",
        SshBruteforce,
        0.65,
        r"brute[ -]?forc|bruteforc|dictionary attack|password (guessing|spraying)|force brute|fuerza bruta|hrubou silou|перебор|подбор парол|брутфорс|for[cç]a bruta|passwort-?angriff",
    ),
    // ---- web login brute force ----
    // Requests for a CMS's code editors or installers: whoever asks for them
    // tries to change the site's code, past any login (a takeover, not guessing).
    k(
        "log.cms_code_edit",
        Hacking,
        "exploit",
        0.95,
        r"(get|post)\s+/+\S*wp-admin/(theme-editor|plugin-editor|plugin-install|update)\.php|(get|post)\s+/+\S*administrator/index\.php\?option=com_(installer|templates)",
    ),
    k("log.wp_login_post", WebBruteforce, "wordpress", 0.9, r"post\s+/+(wp-login\.php|xmlrpc\.php)"),
    k(
        "log.web_login_post",
        WebBruteforce,
        "login_form",
        0.6,
        r"post\s+/\S*(login|signin|sign-in|logon|auth|administrator)\S*\s",
    ),
    k("kw.wordpress_login", WebBruteforce, "wordpress", 0.5, r"wp-login|xmlrpc\.php|wordpress[/ ](login|xmlrpc)"),
    p(
        "kw.web_login",
        WebBruteforce,
        0.5,
        r"(web ?site|web|admin(istrator)?|cms|joomla|drupal|wordpress) (login|log-in|sign-?in)( page| form)?",
    ),
    // ---- account compromise ----
    p(
        "kw.account_takeover",
        AccountCompromise,
        0.85,
        r"credential[ -]stuffing|account[ -]takeover|\bato\b attempts|(compromised|hacked|hijacked|stolen) (user )?accounts?|accounts? (was|were|has been|have been) (compromised|hacked|hijacked|taken over)|(logged|signed) in(to)? (to )?(my|our|the user's|a customer's) (e-?mail |mail |user )?(account|mailbox)|(my|our) (e-?mail |mail )?(account|mailbox) (was|has been) (accessed|used|broken into)|mailbox (was )?(hacked|compromised)|postfach (wurde )?(gehackt|kompromittiert)|boîte (mail|aux lettres) (piratée|compromise)|buzón (hackeado|comprometido)|вход в (мой|мою|наш)\S* (почтов\S* ящик|аккаунт|уч[её]тн)|(взлом\S*|доступ к) (мо\S* )?почтов\S* ящик|unauthori[sz]ed access to (my|our|the|his|her|their|a|an) (e-?mail |user |customer )?account|kontoübernahme|gehackte[sn]? konto|compte (piraté|compromis)|cuenta (hackeada|comprometida|robada)|napaden\S* účt|взлом\S* (аккаунт|уч[её]тн)|conta (invadida|comprometida|hackeada)",
    ),
    // ---- hacking ----
    k(
        "log.sql_injection",
        Hacking,
        "sql_injection",
        0.9,
        r"union(\s|%20|\+|/\*\*/)+(all(\s|%20|\+)+)?select|information_schema|'\s*or\s+'?1'?\s*=\s*'?1|%27(%20|\+)*or(%20|\+)|\bsleep\(\d+\)|benchmark\(\d|xp_cmdshell",
    ),
    k("kw.sql_injection", Hacking, "sql_injection", 0.6, r"sql[ -]?injection|\bsqli\b|injection sql|inyecci[oó]n sql"),
    k(
        "log.webshell",
        Hacking,
        "webshell",
        0.85,
        r"web ?shells?\b|\b(c99|r57|wso|b374k|alfa|shell|cmd|up|upload|adminer)\.php\b|eval\(base64_decode|\bcmd=|/bin/(ba)?sh\b|wget\s+https?://",
    ),
    k(
        "log.probe_path",
        Hacking,
        "vuln_probe",
        0.8,
        r#"(get|post|head)\s+/\S*(\.env\b|phpinfo|_profiler|/\.git/|wp-config|phpunit|eval-stdin|/cgi-bin/|\.\./|/etc/passwd|phpmyadmin|/manager/html|/druid/|/solr/|/actuator|/boaform|/hnap1|/\.aws/|/vendor/|/wp-content/plugins/\S+\.php)|url="?/\S*(druid|phpmyadmin|\.env|cgi-bin|manager/html|phpinfo|actuator|solr|console)"#,
    ),
    k(
        "kw.xss",
        Hacking,
        "xss",
        0.8,
        r"cross[ -]site scripting|\bxss\b|<script>|%3cscript%3e|remote code execution|\brce\b|path traversal|directory traversal|local file inclusion|\blfi\b|\brfi\b",
    ),
    k("log.fortigate_ips", Hacking, "ips", 0.6, r#"subtype="?ips|\battack="?[a-z]|\battackid=|logid="?0419"#),
    k(
        "kw.vuln_scan",
        Hacking,
        "vuln_probe",
        0.6,
        r"vulnerabilit(y|ies) (scan|prob|exploit)|(scanning|probing) for (vulnerab|known|exploitable)|known (hackable|vulnerable) (resources|paths|files)|\b(zgrab|nikto|sqlmap|nuclei|acunetix|wpscan|dirbuster|gobuster)\b|exploit(ation)? attempts?|attempt(ed|s)? to exploit|unauthori[sz]ed access trial|adminpage",
    ),
    p(
        "kw.hacking",
        Hacking,
        0.5,
        r"hack(ing|er|ed)? attempts?|hacker attacks?|intrusion( attempts?)?|intrud(ed|er|ing)|rootkit|backdoors?|malicious (attempts?|activity|requests?)|break into|\bids\b (alert|event)|tried to hack|einbruchsversuch|hackerangriff|angriff auf (unser|den|die)|piratage|tentative d.intrusion|intrusi[oó]n|intento de (hackeo|intrusi)|průnik|взлом|invas[aã]o|security (incident|breach)",
    ),
    k(
        "log.exploit_payload",
        Hacking,
        "exploit",
        0.8,
        r"(\.\./){2,}|\$\{ifs\}|\|\s*(ba)?sh\b|\$\{jndi:|jndi:ldap|cmd\.exe|powershell(\.exe)?\s+-|/bin/busybox|\bchmod\s+\+?[0-7x]+\s+/tmp",
    ),
    k(
        "kw.exploit_cve",
        Hacking,
        "exploit",
        0.65,
        r"\bcve-\d{4}-\d{4,}|command injection|code injection|remote command execution|ausnutzungsversuch|ausnutzung|auszunutzen|schwachstelle|sicherheitsl[üu]cke|exploitation d.une (vuln[ée]rabilit[ée]|faille)|tentatives? d.exploitation|explotaci[oó]n de (una )?vulnerabilidad|explotar una vulnerabilidad|sfruttamento (di )?(una )?vulnerabilit|vulnerabilit[àa] sfruttata|misbruik van (een )?kwetsbaarheid|kwetsbaarheid|wykorzystani\S* podatno|podatno[śs][ćc]",
    ),
    p("kw.attack_generic", Hacking, 0.2, r"\battack(s|ed|ing)?\b|\bangriff|\battaque|\bataque|útok|атак"),
    // ---- DoS, scans, scraping ----
    k(
        "kw.port_scan",
        DosScraping,
        "port_scan",
        0.7,
        r"port ?scan|netscan|network scan|scann?(ing|ed|s)? (of |our |my |the |your )?(network|hosts?|ports?|servers?|ip ranges?|addresses)|(tcp|udp|syn)[ -]scan|sweep|portscan|port-scan|netzwerkscan|scan de ports|balayage de ports|escaneo de puertos|skenování portů|сканирование портов|varredura de portas",
    ),
    k(
        "kw.scan_generic",
        DosScraping,
        "port_scan",
        0.35,
        r"\bscan(s|ning|ned|ner)?\b|\bscanner\b|balayage|escaneos?\b|skenován|сканирован|varredura|escaneamento",
    ),
    k(
        "log.firewall_deny",
        DosScraping,
        "port_scan",
        0.55,
        r#"%asa-\d-\d+|\bdeny (tcp|udp|icmp) src|access-list \S+ denied|\bdenied\b.{0,60}\b(tcp|udp|syn)\b|\bin=\S* out=\S*.{0,200}\bdpt=|\bsrc=\d.{0,120}\bdpt=\d|type="?traffic"?.{0,300}action="?deny"#,
    ),
    k(
        "kw.connection_attempts",
        DosScraping,
        "port_scan",
        0.5,
        r"connection attempts|attempted (to )?connect|syn packets|unsolicited (connections|traffic|packets)|blocked connections",
    ),
    k(
        "kw.flood",
        DosScraping,
        "flood",
        0.75,
        r"\bddos\b|(?-i:\bDoS\b)|\bdos[ -](attacks?|angriffs?|attaques?|ataques?|útok)|denial[ -]of[ -]service|\bflood(s|ing|ed)?\b|überlastung|déni de service|denegaci[oó]n de servicio|odepření služby|отказ\S* в обслуживании|negação de serviço",
    ),
    // UDP reflection and floods: Tor carries TCP only, so the reply differs.
    k(
        "kw.udp_flood",
        DosScraping,
        "udp",
        0.85,
        r"amplification|reflection attack|reflected (traffic|ddos|udp)|\bmonlist\b|\budp[ -]?(flood|attack|traffic|packets|amplification|reflection)|\b(ntp|dns|ssdp|memcached|chargen|snmp|cldap)[ -](amplification|reflection|flood|attack)|(ntp|dns|memcached|ssdp)-?(verstärkung|reflexion)|amplificaci[oó]n|amplification (ntp|dns)|zesílen\S* útok|усилени\S* (атак|трафик)|amplifica[cç][aã]o",
    ),
    // An open service seen taking part in an attack (a reflector of a flood
    // the victim saw): the flood is the matter, not only the service.
    k(
        "kw.reflection_seen",
        DosScraping,
        "flood",
        0.5,
        r"\b(participated|took part|taking part|was (one of|among)( (the|roughly|about|some|over|more than))?( [0-9,.]+)? (reflectors|amplifiers|sources|participants)|(was|were|has been|have been|is being|are being) (used|abused|misused) (in|for|as)( an?| the)? (\S+ ){0,3}?(attack|ddos|flood|reflector|amplifier))\b",
    ),
    // A service that answers anyone (an open resolver): something on the
    // address, not traffic from it, until a report says it was used in an attack.
    k(
        "kw.open_service",
        Other,
        "open_service",
        0.5,
        r"\bopen (recursive )?(resolver|ntp|dns|memcached|ssdp|chargen|snmp|portmap|ldap|mdns|redis|elasticsearch|mongodb)|(publicly|openly) (accessible|reachable)|(offen|öffentlich) erreichbar|exposed (service|port|rdp|smb|database)s?|servicio \S+ expuesto",
    ),
    // SYN-only packets (tcpdump `S seq:seq(0)`, `Flags [S]`): probes that
    // never open a connection, a sweep whatever port they hit.
    k("log.syn_probe", DosScraping, "port_scan", 0.8, r"\d\.\d+ > \S+\.\d+: (S \d+:\d+\(0\)|flags \[s\],)"),
    // Port-hit records of honeypot and firewall reports (`"PORT HIT": a->b:port`).
    k("log.port_hit", DosScraping, "port_scan", 0.75, r#"\bport[ _-]hits?"?\s*[:=]"#),
    // A web application firewall's block lines (ModSecurity): exploit and probe requests.
    k(
        "log.waf_block",
        Hacking,
        "vuln_probe",
        0.75,
        r#"access denied with code \d{3} \(phase \d\)|(matched phrase|pattern match) "[^"\n]{1,80}" at (request_uri|args|request_headers|request_body|request_filename)"#,
    ),
    // A service brought down by sheer volume, in plain words.
    k(
        "kw.overload",
        DosScraping,
        "flood",
        0.6,
        r"(hundreds|thousands|millions) of (requests|connections|packets|queries|hits)|(requests|connections|packets|queries|hits) (per|a|each) second|\b(req|requests|pps|packets)/s(ec)?\b|(took|taking|takes|brought|bringing|knocked|knocking|brings) (our|the|my|their|a) (\w+ )?(server|site|website|service|network|host)s? (down|offline)|(server|site|website|service|host)s? (went|was|were|is|are) (down|offline|unreachable|unresponsive)|overload(ed|ing|s)?\b|overwhelm(ed|ing)|anfragen pro sekunde|(tausende|hunderte) (von )?(anfragen|verbindungen|zugriffe)|nicht mehr erreichbar|überlast|requêtes par seconde|(milliers|centaines) de (requêtes|connexions)|surcharg|(serveur|site) (est |était |a été )?(tombé|inaccessible|indisponible|hors service)|(peticiones|solicitudes|conexiones) por segundo|(miles|cientos) de (peticiones|solicitudes|conexiones)|sobrecarg|ca[ií]d[oa] (el|del) servidor|servidor ca[ií]do|(dejaron|dej[oó]) ca[ií]d|požadavk\S* za sekundu|(tisíce|stovky) požadavk|přetížen|запрос\S* в секунду|(тысяч|сотни)\S* запрос|перегру[зж]|сервер (упал|лег|недоступен)|(requisi[cç]\S*|pedidos|conex\S*) por segundo|(milhares|centenas) de (requisi|pedidos|conex)|servidor (caiu|fora do ar|ficou fora)",
    ),
    k(
        "kw.scraping",
        DosScraping,
        "scraping",
        0.65,
        r"scrap(ing|er|ers|ed)\b|crawl(er|ers|ing)\b|robots\.txt|\bbotware\b|(bot|robot) (traffic|activity|requests)|excessive (requests|crawling|traffic)|too many requests|rate[ -]limit",
    ),
    // ---- spam ----
    k(
        "kw.comment_spam",
        CommentSpam,
        "comment",
        0.8,
        r"comment spam|forum spams?\b|spam (comments?|posts?|registrations?|accounts?)|guestbook|registration spam|fake (accounts?|registrations?|sign-?ups?)|\bregbot|sign-?up spam|spammy (posts|comments)|profile spam|(posted|posting) spam",
    ),
    p(
        "kw.forum",
        CommentSpam,
        0.2,
        r"\bforum\b|f[óo]rum|\bguest ?book\b|\bcomments? section\b|\bblog comments?\b|\bwiki\b|\bphpbb\b|mediawiki|message ?board|bulletin board|\bforen\b|g[äa]stebuch|\bcommentaires?\b|\bcoment[áa]rios?\b|komentář|diskusn|коммент|форум|гостев\S* книг|livre d.or|livro de visitas|libro de visitas|kniha návštěv",
    ),
    k(
        "kw.comment_spam_more",
        CommentSpam,
        "comment",
        0.75,
        r"regist(ration|ering|ers)[ -]bots?|spam ?bots? (regist|creat|post)|link spam|(creat|regist)\w* (\w+ )?(new |fake |bogus |spam )?(user )?accounts|new user registered|spam (links|pages) (on|in) (our|the|my)|foren-?spam|spam-?(beitr[äa]ge|kommentare|registrierungen)|fake-?accounts|cr[ée]ation de comptes|liens publicitaires|spam sur (notre|le|mon) (wiki|forum|blog|site)|cuentas falsas|comentarios (de )?spam|registros falsos|account falsi|commenti (di )?spam|registrazioni (false|automatiche)|nepaccounts|spamreacties|reactiespam|reactieformulier|kommentarspam|spam de comentarios|wp-comments-post\.php|fa[łl]szywe konta|spam na forum|commentaires? (ind[ée]sirables|de spam|spam|publicitaires)|spam (dans|sur) (les |le |la |notre |nos )?(commentaires|forum|blog|livre d.or|wiki)|messages ind[ée]sirables (sur|dans) (le |notre )?(forum|blog)|coment[áa]rios? (de |com )?spam|spam (no|na|nos|nas|em) (nosso |nossa )?(f[óo]rum|blog|coment[áa]rios|site)|spamov\S* (komentář|příspěv|registrac)|spam v (komentář|diskus|fóru)|spam(ové)? na (náš |našem )?(blog|fóru|web)|спам[- ]?(коммент|сообщени\S* на форум|регистрац)|спам в (комментари|форум|гостев|блог)|комментари\S* (со )?спам",
    ),
    p(
        "kw.mail_spam",
        WebmailSpam,
        0.6,
        r"spamcop|unsolicited (commercial |bulk )?(e-?mails?|messages?|mail)|\buce\b|junk ?mail|spam (e-?mails?|messages?|mail|run|campaign)|spam ?trap|feedback[ -]loop|\bfbl\b|phishing (e-?mail|mail|message)|pourriel|courriel (indésirable|non sollicité)|correo (no deseado|basura)|nevyžádan\S* (pošt|zpráv)|lixo eletr[oô]nico",
    ),
    // Bulk extortion mail classified as spam ("SPAM_BLACKMAIL"); one
    // person's extortion letter stays a threat.
    k(
        "kw.sextortion_spam",
        WebmailSpam,
        "sextortion",
        0.85,
        r"spam[ _-]?(blackmail|extortion|sextortion|erpressung)|(blackmail|extortion|sextortion)[ _-]?spam|erpressungs-?spam",
    ),
    p("kw.spam", WebmailSpam, 0.35, r"\bspam(s|med|ming)?\b|спам"),
    p(
        "kw.webmail_relay",
        WebmailSpam,
        0.6,
        r"phpmailer|x-php-(originating-)?script|webmail|mail ?form|contact form|php (mail|relay)|roundcube|squirrelmail",
    ),
    p(
        "kw.google_groups",
        GoogleGroupsSpam,
        0.85,
        r"google groups?.{0,80}(spam|abuse|post)|(spam|abuse|post)\S*.{0,80}google groups?\b|groups\.google\.com/(g|group|forum)/",
    ),
    // ---- fraud ----
    p(
        "kw.fraud_order",
        EcommerceFraud,
        0.85,
        r"fraud(ulent)? (orders?|transactions?|purchases?|payments?|bookings?)|charge-?backs?|\bcarding\b|stolen (credit )?cards?|(credit )?card fraud|betrügerische bestellung|commande frauduleuse|pedido fraudulento|podvodn\S* objednáv|мошеннич\S* заказ|pedido fraudulento",
    ),
    k(
        "kw.card_testing",
        EcommerceFraud,
        "carding",
        0.85,
        r"card[ -]testing|stolen (credit |debit )?cards?|tarjetas? (de cr[ée]dito )?robadas?|pruebas de tarjetas|contracargos?|cartes? (bancaires? |de cr[ée]dit )?vol[ée]es?|gestohlene(n)? (kredit)?karten|kreditkartenbetrug|r[üu]ckbuchungen|carte di credito rubate|storni|gestolen (credit)?cards|terugboekingen|skradzione karty|transakcje zwrotne",
    ),
    p("kw.fraud", EcommerceFraud, 0.3, r"\bfraud|betrug|\bfraude|\bpodvod|мошенни"),
    // ---- threats ----
    k(
        "kw.account_takeover_more",
        AccountCompromise,
        "takeover",
        0.8,
        r"prise de contr[ôo]le (de|du) compte|compte .{0,60}(a [ée]t[ée] |est )(pirat[ée]|compromis|vol[ée])|account (\w+ )?(è stato |e stato )?(violato|hackerato|compromesso|rubato)|accesso non autorizzato|account (is )?(gehackt|overgenomen)|konto (\w+ )?(zosta[łl]o )?(zhakowane|przej[ęe]te)|w[łl]amanie na konto|(instagram|facebook|gmail|outlook|steam|paypal|twitter|tiktok|whatsapp|icloud|apple id) (account|konto|compte|cuenta|conta)? ?.{0,30}(hacked|hackerat|gehackt|pirat|hackead|zhakowan|violat|compromis|taken over|stolen)",
    ),
    k(
        "kw.threats",
        Threats,
        "violence",
        0.85,
        r"death threats?|threat(s|en(ed|ing)?)? (of|to) (kill|harm|violence|bomb|attack)|threat to (her |his |their |human )?life|\b(taken|held|holding|took) hostage|\bkidnapp(ed|ing|ers?)\b|\bentführ\w*|\benlèvement|\bsecuestr[oa]d?[oa]?\b|threatening (e-?mails?|messages?|calls?|posts?)|bomb threat|kill (you|him|her|them|me)|morddrohung|menaces? de mort|amenazas? de muerte|výhrůžk\S* smrt|угроз\S* (убийств|смерт)|ameaças? de morte",
    ),
    k(
        "kw.harassment",
        Threats,
        "harassment",
        0.75,
        r"harass(ment|ing|ed)?|stalk(ing|er)|\bextortion\b|blackmail|intimidat|cyber-?bullying|belästigung|bedroh|harcèlement|\bmenaces?\b|\bacoso\b|amenaza|obtěžován|vyhrožov|výhrůžk|преследован|угроз|ameaça|assédio",
    ),
    // ---- copyright ----
    k(
        "kw.threats_more_languages",
        Threats,
        "harassment",
        0.75,
        r"minacc[ei]|molestie|stalking|bedreiging|dreigement|intimidatie|groźb|groz[ię]|n[ęe]kanie|zastraszani",
    ),
    k(
        "kw.copyright_more_languages",
        Copyright,
        "notice",
        0.75,
        r"diritto d.autore|violazione del copyright|auteursrecht|inbreuk op (het )?auteursrecht|prawa? autorski|naruszeni\S* praw autorskich",
    ),
    k(
        "kw.scan_more_languages",
        DosScraping,
        "port_scan",
        0.65,
        r"scansion[ei] (delle |di )?porte|poortscan|skanowani\S* port[óo]w|skanowanie",
    ),
    k(
        "kw.flood_more_languages",
        DosScraping,
        "flood",
        0.7,
        r"negazione del servizio|attacco ddos|overbelastingsaanval|ddos-aanval|odmowa us[łl]ugi|atak ddos",
    ),
    p(
        "kw.login_more_languages",
        SshBruteforce,
        0.6,
        r"tentativi di (accesso|login|autenticazione)|forza bruta|inlogpogingen|mislukte (inlog|aanmeld)|pr[óo]by logowania|nieudane logowania|atak s[łl]ownikowy",
    ),
    k(
        "kw.copyright",
        Copyright,
        "notice",
        0.75,
        r"copyright|\bdmca\b|\bpira(cy|ted|te)\b|anti-?piracy|unauthori[sz]ed (distribution|copying|sharing|reproduction|streaming|use of (copyrighted|protected))|copyrighted|urheberrecht|droit d.auteur|derechos de autor|autorsk\S* práv|авторск\S* прав|direitos (autorais|de autor)|pirataria",
    ),
    // Words of every intellectual-property notice: copyright, and trademark too.
    k(
        "kw.ip_rights",
        Copyright,
        "notice",
        0.7,
        r"infringement (notice|report|claim|notification)|intellectual property|rights? ?holders?|contrefaçon|propiedad intelectual",
    ),
    // Trademark notices share the words of copyright notices ("infringement
    // notice", "intellectual property") but not the reply.
    k(
        "kw.trademark",
        Other,
        "trademark",
        0.8,
        r"\btrade ?marks?\b|\bmarque (déposée|commerciale)|\bmarca (registrada|comercial)|\bmarke(nrecht|nverletzung)\b|\bochranná známka",
    ),
    k("kw.infringement", Copyright, "notice", 0.45, r"\binfring(e|es|ed|ement|ements|ing)\b"),
    // Notices about pages or files offered on the web, not about file sharing.
    k(
        "kw.copyright_links",
        Copyright,
        "links",
        0.2,
        r"\b\d+ (links|urls)\b|(infringing|following|listed|reported) (links|urls|web ?pages|pages)|links? (to|of) (infringing|protected|copyrighted|pirated)|remove (or disable access to )?(the |these |this )?(infringing )?(links|urls|web ?pages)|cyberlocker|file[ -]?host(ing|er)|download links?|reported urls?|infringing url|url: ?https?://",
    ),
    k(
        "kw.bittorrent",
        Copyright,
        "p2p",
        0.7,
        r"bittorrent|\btorrent\b|info_?hash|urn:btih|\bbtih\b|peer-to-peer|\bp2p\b|\be(d|mule)onkey\b|\bgnutella\b",
    ),
    k(
        "kw.streaming",
        Copyright,
        "streaming",
        0.5,
        r"live[ -]?(video )?stream(ing|s)?|live (event|broadcast|match|game)|streaming (files|content|links?|sites?)|re-?stream(ing|ed)?|\biptv\b|illegal(ly)? (stream|broadcast)|unauthori[sz]ed (stream|broadcast|retransmission)|transmisi[oó]n en (vivo|directo)|transmiss[aã]o ao vivo|retransmis|diffusion en direct|live-?übertragung|прямая трансляция",
    ),
    // ---- other: botnet/malware, phishing, law enforcement, blocklists ----
    k(
        "kw.botnet",
        Other,
        "botnet",
        0.55,
        r"botnets?\b|bot[ -]?infection|\bdrones?\b|botnetz|réseau de zombies|red de bots|ботнет",
    ),
    k(
        "kw.infection",
        Other,
        "botnet",
        0.75,
        r"\binfected (host|machine|system|device|computer|server|ip|client)s?|infected with|sinkhole|command[ -]and[ -]control|\bc&c\b|\bc2 (server|traffic)|malware (infection|family|traffic)|\b(zeroaccess|sality|qakbot|qbot|emotet|mirai|conficker|trickbot|necurs|andromeda|gamarue|avalanche|dridex|ramnit|gozi)\b|schadsoftware|infiziert|logiciel malveillant|infecté|infectad[oa]|infikovan|škodliv|заражен|вредонос",
    ),
    k(
        "kw.phishing_site",
        Other,
        "phishing",
        0.75,
        r"phishing (site|page|url|website|web ?page|kit|domain|content|attack)|hosting (a )?phishing|hameçonnage|suplantaci[oó]n de identidad|фишинг",
    ),
    k("kw.phishing", Other, "phishing", 0.35, r"\bphish(ing)?\b"),
    // A compromised machine is the state of the address (why it did what
    // it did), not an intrusion it attempted.
    k(
        "kw.compromised_host",
        Other,
        "compromised",
        0.5,
        r"compromised (server|system|site|website|host|machine|device|router)s?|kompromittierte[nr]? (\S+[ -])?(systeme?|server|ger[äa]te?|hosts?)",
    ),
    k(
        "kw.law_enforcement",
        Other,
        "law_enforcement",
        0.75,
        r"law enforcement (request|agency|inquiry|enquiry)|\bsubpoena|search warrant|court order (for|requiring) (the )?(disclosure|production|information)|prosecutor|criminal investigation|preservation (request|order)|request for (subscriber )?(information|data|records)|\b(fbi|europol|interpol)\b|staatsanwaltschaft|ermittlungsverfahren|auskunftsersuchen|kriminalpolizei|réquisition judiciaire|procureur|fiscal[ií]a|requerimiento judicial|státní zastupitelství|прокуратур|следствен\S* (орган|комитет)|minist[eé]rio p[uú]blico|of[ií]cio judicial",
    ),
    k(
        "kw.police",
        Other,
        "law_enforcement",
        0.35,
        r"\bpolice\b|polizei|strafanzeige|gendarmerie|polic[ií]a|policie|полици|polizia|carabinieri|denuncia|politie|aangifte|policj",
    ),
    k(
        "kw.blocklist",
        Other,
        "blocklist",
        0.5,
        r"\b(sbl|xbl|pbl|dnsbl|rbl)\b|(listed|listing) (on|in) (our|the)|(has|have) been (temporarily |automatically )?(black|block)listed|(reported|added) to (our |the |public |several )?(black|block) ?lists?|delist",
    ),
    k(
        "kw.malware",
        Other,
        "malware",
        0.35,
        r"\bmalware\b|\bvirus\b|\btrojan\b|ransomware|malicious (file|software|download)",
    ),
];

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn names_are_unique_and_weights_sane() {
        let mut names: Vec<&str> = PATTERNS.iter().map(|p| p.rule).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "duplicate rule names");
        for p in PATTERNS {
            assert!(p.weight > 0.0 && p.weight < 1.0, "{}", p.rule);
        }
        for r in LOGIN_RULES {
            assert!(r.starts_with("xarf.") || PATTERNS.iter().any(|p| p.rule == *r), "{r}");
        }
    }
}
