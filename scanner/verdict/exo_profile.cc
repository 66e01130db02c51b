// exo_profile.cc: the Exchange Online receiving-provider profile as data (DESIGN.md §2).
//
// Texts are written for the person who will forward them to a partner's mail administrator:
// plain language, the consequence first, then what to change. The MX scan observes the partner's
// inbound servers; for mail the partner sends to Exchange Online it is an indication only
// (outbound MTAs usually share the inbound stack, but not always), and the texts say so.
#include "scanner/verdict/verdict.h"

namespace mxsweep {
namespace {

using AC = AddressClass;
using V = Verdict;

constexpr MtaHint kExoHints[] = {
    // Postfix
    {"Postfix", "postfix", HintTopic::kEnableModernTls,
     "Postfix: make sure smtpd_tls_protocols and smtpd_tls_mandatory_protocols do not exclude "
     "TLSv1.2 (e.g. '>=TLSv1.2' on Postfix 3.6+, or '!SSLv2, !SSLv3'), that smtpd_tls_ciphers / "
     "smtpd_tls_exclude_ciphers leave the ECDHE-RSA AES-GCM suites, and that Postfix is linked "
     "against an OpenSSL that supports TLS 1.2 (1.0.1 or later; check 'postconf -a' and 'ldd "
     "$(postconf -h daemon_directory)/smtpd')."},
    {"Postfix", "postfix", HintTopic::kEnableStartTls,
     "Postfix: set smtpd_tls_security_level = may and give a certificate with "
     "smtpd_tls_chain_files (or smtpd_tls_cert_file and smtpd_tls_key_file)."},
    {"Postfix", "postfix", HintTopic::kDisableLegacy,
     "Postfix: smtpd_tls_protocols = >=TLSv1.2 (Postfix 3.6+) or '!SSLv2, !SSLv3, !TLSv1, "
     "!TLSv1.1'; the same for smtpd_tls_mandatory_protocols."},
    // Exim
    {"Exim", "exim", HintTopic::kEnableModernTls,
     "Exim: with OpenSSL, remove +no_tlsv1_2 from openssl_options and make tls_require_ciphers "
     "allow ECDHE-RSA-AES128-GCM-SHA256 / ECDHE-RSA-AES256-GCM-SHA384; with GnuTLS, the "
     "tls_require_ciphers priority string must keep +VERS-TLS1.2. TLS 1.2 needs OpenSSL 1.0.1+ "
     "or GnuTLS 3+ ('exim -bV' shows the library)."},
    {"Exim", "exim", HintTopic::kEnableStartTls,
     "Exim: set tls_advertise_hosts = * with tls_certificate and tls_privatekey."},
    {"Exim", "exim", HintTopic::kDisableLegacy,
     "Exim: openssl_options = +no_sslv3 +no_tlsv1 +no_tlsv1_1 (OpenSSL builds), or "
     "tls_require_ciphers = NORMAL:-VERS-TLS1.0:-VERS-TLS1.1 (GnuTLS builds)."},
    // Exchange Server on-premises (the banner Exchange Online itself sends is the same, but its
    // addresses are always ready, so these hints never reach it).
    {"Exchange", "microsoft esmtp mail service|microsoft exchange", HintTopic::kEnableModernTls,
     "Exchange Server on-premises: enable TLS 1.2 in SCHANNEL (HKLM\\SYSTEM\\CurrentControlSet\\"
     "Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server and \\Client: Enabled=1, "
     "DisabledByDefault=0) and for .NET (SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 "
     "under .NETFramework\\v4.0.30319 and v2.0.50727, also in WOW6432Node), keep the ECDHE "
     "AES-GCM suites in the cipher suite order, then restart. Exchange 2010 and older need an "
     "upgrade."},
    {"Exchange", "microsoft esmtp mail service|microsoft exchange", HintTopic::kEnableStartTls,
     "Exchange Server on-premises: assign a valid certificate to the SMTP service "
     "(Enable-ExchangeCertificate -Services SMTP) and make sure the receive connector allows TLS."},
    {"Exchange", "microsoft esmtp mail service|microsoft exchange", HintTopic::kDisableLegacy,
     "Exchange Server on-premises: disable TLS 1.0 and 1.1 in SCHANNEL (Server and Client keys: "
     "Enabled=0, DisabledByDefault=1) after TLS 1.2 is enabled for .NET."},
    // Cisco Secure Email (ESA, IronPort)
    {"Cisco ESA", "ironport|cisco", HintTopic::kEnableModernTls,
     "Cisco ESA (AsyncOS): in the CLI run 'sslconfig', choose INBOUND and select TLS methods that "
     "include TLS v1.2, with a cipher list that keeps the ECDHE-RSA AES-GCM suites; then commit."},
    {"Cisco ESA", "ironport|cisco", HintTopic::kEnableStartTls,
     "Cisco ESA (AsyncOS): set TLS to Preferred in the mail flow policy of the listener "
     "(Mail Policies > Mail Flow Policies) and assign a certificate to the listener."},
    {"Cisco ESA", "ironport|cisco", HintTopic::kDisableLegacy,
     "Cisco ESA (AsyncOS): 'sslconfig' > INBOUND: keep only TLS v1.2 (and v1.3 where offered)."},
    // Sendmail
    {"Sendmail", "sendmail", HintTopic::kEnableModernTls,
     "Sendmail: TLS 1.2 needs sendmail built against OpenSSL 1.0.1 or later; check that "
     "O ServerSSLOptions does not set SSL_OP_NO_TLSv1_2 and that O CipherList allows the "
     "ECDHE-RSA AES-GCM suites."},
    {"Sendmail", "sendmail", HintTopic::kEnableStartTls,
     "Sendmail: set confSERVER_CERT, confSERVER_KEY and confCACERT in sendmail.mc (sendmail must "
     "be built with STARTTLS)."},
    {"Sendmail", "sendmail", HintTopic::kDisableLegacy,
     "Sendmail: O ServerSSLOptions=+SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1."},
};

constexpr Profile kExo = {
    "exo",
    "Microsoft Exchange Online: sends with TLS 1.2 only (its own suite list), accepts TLS 1.2 and "
    "1.3; TLS is opportunistic unless a connector, DANE or MTA-STS requires it.",
    {{
        // cls, role, verdict, rank, hint topic. Ranks 0-4 are DESIGN.md's order for differing
        // non-ready states; TEMPFAIL outranks UNREACHABLE because a 4xx says "come back".
        {AC::kExoReady, ClassRole::kReady, V::kOk, 0, HintTopic::kNone},
        {AC::kLegacyOnly, ClassRole::kNotReady, V::kLegacyOnly, 0, HintTopic::kEnableModernTls},
        {AC::kNoSharedCipher, ClassRole::kNotReady, V::kNoSharedCipher, 1,
         HintTopic::kEnableModernTls},
        {AC::kTls13Only, ClassRole::kNotReady, V::kTls13Only, 2, HintTopic::kEnableModernTls},
        {AC::kNoStartTls, ClassRole::kNotReady, V::kNoStartTls, 3, HintTopic::kEnableStartTls},
        {AC::kTlsBroken, ClassRole::kNotReady, V::kTlsBroken, 4, HintTopic::kEnableModernTls},
        {AC::kTempFail, ClassRole::kNotProbed, V::kTempFail, 0, HintTopic::kNone},
        {AC::kUnreachable, ClassRole::kNotProbed, V::kUnreachable, 1, HintTopic::kNone},
        {AC::kRefused, ClassRole::kNotProbed, V::kUnreachable, 1, HintTopic::kNone},
        // EXO presents a certificate of its own when it sends: whether this server accepts it
        // (and with which version) is the partner's configuration, not something a probe
        // without a certificate can see. The address does not decide the verdict.
        {AC::kClientCertRequired, ClassRole::kNotProbed, V::kUnreachable, 1, HintTopic::kNone},
    }},
    V::kOk,
    V::kOkLegacyEnabled,
    V::kPartial,
    V::kUnreachable,
    V::kNoMail,
    V::kDnsError,
    {{
        {V::kOk, Urgency::kNone, NamedHosts::kNone,
         "Mail from Exchange Online is delivered over TLS 1.2 with a cipher suite Exchange Online "
         "offers, on every MX address that could be tested. Mail from the partner to Exchange "
         "Online very likely negotiates TLS 1.2 too (an indication from the inbound servers, not "
         "proof).",
         "None."},
        {V::kOkLegacyEnabled, Urgency::kOptional, NamedHosts::kLegacy,
         "Mail from Exchange Online is delivered over TLS 1.2 on every MX address that could be "
         "tested; TLS 1.0/1.1 are still accepted as well, which Exchange Online never uses. Mail "
         "from the partner very likely reaches Exchange Online over TLS 1.2 (an indication, not "
         "proof).",
         "Optional hardening: disable TLS 1.0 and 1.1 on {hosts}."},
        {V::kPartial, Urgency::kUrgent, NamedHosts::kFailing,
         "Mail from Exchange Online that lands on the named hosts cannot use TLS 1.2: it is sent "
         "unencrypted by default, and queued for 24 hours then bounced (450 4.4.317 / 4.4.318) "
         "where TLS is required (a connector with TlsSettings, DANE or MTA-STS enforce). The other "
         "MX addresses are fine, so failures look intermittent. If the partner's outgoing servers "
         "run the same software as the named hosts, its mail to Exchange Online fails TLS too (an "
         "indication, not proof).",
         "Fix the named hosts: enable TLS 1.2 with a cipher suite Exchange Online offers "
         "(ECDHE-RSA-AES256-GCM-SHA384 is its first choice) on {hosts}."},
        {V::kLegacyOnly, Urgency::kUrgent, NamedHosts::kFailing,
         "Every reachable MX address tops out at TLS 1.0/1.1, which Exchange Online no longer "
         "uses: mail from Exchange Online goes unencrypted today, and is queued for 24 hours then "
         "bounced (450 4.4.317) wherever TLS is required. Mail from the partner to Exchange Online "
         "most likely fails TLS as well ('421 4.4.2 Connection dropped due to SocketError'; an "
         "indication, not proof): Postfix and Exim then retry in plaintext, Exchange Server and "
         "Cisco ESA queue and bounce.",
         "Urgent: enable TLS 1.2 on {hosts}; usually a TLS library upgrade (OpenSSL 1.0.1 or "
         "later) or a protocol setting in the mail server."},
        {V::kNoSharedCipher, Urgency::kUrgent, NamedHosts::kFailing,
         "TLS 1.2 is offered, but with none of the cipher suites Exchange Online offers (ECDHE "
         "with AES-GCM or AES-CBC, RSA with AES-GCM): the handshake fails, so mail from Exchange "
         "Online goes unencrypted, or bounces where TLS is required. Mail from the partner to "
         "Exchange Online is probably unaffected if its client side offers modern suites.",
         "Urgent: allow ECDHE-RSA-AES256-GCM-SHA384 and ECDHE-RSA-AES128-GCM-SHA256 (or the "
         "ECDHE-ECDSA equivalents with an ECDSA certificate) on {hosts}."},
        {V::kTls13Only, Urgency::kWatch, NamedHosts::kFailing,
         "Only TLS 1.3 is accepted. Exchange Online is not confirmed to send with TLS 1.3, so its "
         "TLS 1.2 attempt fails and mail may go unencrypted, or bounce where TLS is required. "
         "Mail from the partner to Exchange Online is not affected (it accepts TLS 1.3).",
         "Watch: also enable TLS 1.2 on {hosts} until Exchange Online is confirmed to send with "
         "TLS 1.3."},
        {V::kNoStartTls, Urgency::kUrgent, NamedHosts::kFailing,
         "No STARTTLS is offered: mail from Exchange Online is sent unencrypted, and queued then "
         "bounced (450 4.4.317) where TLS is required. The partner's own servers probably send to "
         "Exchange Online in plaintext as well (an indication, not proof), which is refused where "
         "a connector requires TLS ('451 5.7.3 Must issue a STARTTLS command first').",
         "Urgent if TLS is required: enable STARTTLS, with a certificate, on {hosts}."},
        {V::kTlsBroken, Urgency::kUrgent, NamedHosts::kFailing,
         "STARTTLS is advertised but every TLS handshake fails: Exchange Online falls back to "
         "plaintext by default, and queues then bounces (4.4.318) where TLS is required. Mail "
         "from the partner may fail the same way if its servers share the TLS set-up (an "
         "indication, not proof).",
         "Urgent: check the certificate, the private key and the TLS library on {hosts}; the "
         "per-probe detail says how each handshake failed."},
        {V::kUnreachable, Urgency::kRescan, NamedHosts::kNotProbed,
         "No MX address completed an SMTP session with the scanner, so nothing is known about its "
         "TLS. This may be a firewall in front of the scanner rather than a problem for Exchange "
         "Online.",
         "Rescan later or from another network; check that {hosts} accept connections on port "
         "{port}."},
        {V::kTempFail, Urgency::kRescan, NamedHosts::kNotProbed,
         "The MX addresses answered 421 or another 4xx (rate limiting, greylisting): no verdict "
         "yet.",
         "Rescan later, with fewer connections per address; {hosts} deferred the scanner."},
        {V::kNoMail, Urgency::kCheckInput, NamedHosts::kNone,
         "The domain does not receive mail (null MX, the name does not exist, or no MX host has an "
         "address): there is nothing to deliver from Exchange Online.",
         "Check the input: is this the partner's mail domain (misspelt, retired, send-only)?"},
        {V::kDnsError, Urgency::kCheckInput, NamedHosts::kNone,
         "The DNS lookups failed (SERVFAIL, timeout): no verdict. Exchange Online would meet the "
         "same failure and defer the mail.",
         "Check the input and rescan; a lasting SERVFAIL usually means broken DNSSEC or a lame "
         "delegation for the domain."},
        // The input-row verdicts: the row was never swept. They name no host and need no hint.
        {V::kInvalidInput, Urgency::kCheckInput, NamedHosts::kNone,
         "The input row holds no usable domain, so nothing was looked up or probed for it; "
         "error_detail gives the reason and the line of the input.",
         "Fix the input row (error_detail says what is wrong and where), then scan it again."},
        {V::kDuplicate, Urgency::kNone, NamedHosts::kNone,
         "The same domain as an earlier input row: it was swept once, and its verdict is on that "
         "row (error_detail names the line).",
         "Nothing: see the other row's verdict; remove the repeated row from the list if it is a "
         "mistake."},
    }},
    kExoHints,
    sizeof(kExoHints) / sizeof(kExoHints[0]),
    // Every MX address in private or reserved space (10/8, 192.168/16, loopback, ...): a fact
    // about the partner's DNS, not about the scanner's network.
    {V::kUnreachable, Urgency::kUrgent, NamedHosts::kNotProbed,
     "The MX records point into private or reserved address space, which no one on the internet "
     "can reach, Exchange Online included: mail from Exchange Online cannot be delivered at all "
     "(it is queued, then bounced). The scanner did not connect, as it never does to such "
     "addresses.",
     "Tell the partner that the MX hosts {hosts} have only private or reserved addresses: "
     "publish MX hosts with public addresses, or a null MX (MX 0 .) if the domain takes no mail "
     "from the internet."},
};

}  // namespace

const Profile& ExoProfile() { return kExo; }

}  // namespace mxsweep
