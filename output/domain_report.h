// domain_report.h: one domain's result as a row of the outreach CSV.
//
// The columns are a contract (README "The domain CSV"): domain, verdict, impact, action,
// mx_hosts, legacy_only_hosts, not_probed, cert_problems, error_detail, then the carried input
// columns, then scan_time, input_domain. There is one row per input data row: a row that was not
// swept (INVALID_INPUT, DUPLICATE) says why in error_detail.
#pragma once

#include <string>
#include <vector>

#include "scanner/verdict/domain_result.h"

namespace mxsweep {

// DomainCsvHeader returns the header row (with CRLF) for the carried column names |carried|.
std::string DomainCsvHeader(const std::vector<std::string>& carried);

// DomainCsvRow renders |result| (with CRLF); carried values are matched to |carried| by name.
std::string DomainCsvRow(const DomainResult& result, const std::vector<std::string>& carried);

// MxHostsSummary: "mx1.example=TLS1.3; mx2.example=no-starttls" (the mx_hosts column).
std::string MxHostsSummary(const DomainResult& result);

// CertificateProblems: "mx1.example: expired, name mismatch" per host with a problem.
std::string CertificateProblems(const DomainResult& result);

// InputDomainCell is the input_domain cell of |entry|'s row before CSV quoting: the domain
// cell as the input spelled it, sanitised and bounded. --resume matches INVALID_INPUT rows by it.
std::string InputDomainCell(const DomainEntry& entry);

// ErrorDetail: for a row that was not swept, why (with its input line); otherwise DNS problems, the resolver's notes on what it cut or ignored (caps, a null MX
// beside real ones, a failed address family), CNAME'd MX targets and how the failing hosts
// failed — whatever the verdict.
std::string ErrorDetail(const DomainResult& result);

}  // namespace mxsweep
