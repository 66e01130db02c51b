// dns_zone.h: the in-memory data and the answering logic of the simulated authoritative DNS
// server. No I/O: a query's bytes go in, the answer's bytes come out, so the logic is tested
// without sockets and the same zone can sit behind UDP and TCP (dns_responder.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/ip_address.h"

namespace mxsweep::sim {

// DnsFault makes a name misbehave, whatever type is asked.
enum class DnsFault : uint8_t {
  kNone,
  kServFail,  // answer SERVFAIL
  kRefused,   // answer REFUSED
  kDrop,      // never answer: the client times out
};

class DnsZone {
 public:
  // The record setters take names with or without the trailing dot, in any case. Every name
  // added (and its parents) exists in the zone; any other name is NXDOMAIN.

  // AddMx adds "MX |preference| |target|"; target "." makes the RFC 7505 null MX.
  void AddMx(std::string_view name, uint16_t preference, std::string_view target);
  // AddA / AddAaaa return false when |address| is not an address of that family.
  bool AddA(std::string_view name, std::string_view address);
  bool AddAaaa(std::string_view name, std::string_view address);
  // AddCname makes |name| an alias of |target|. Answers follow chains inside the zone, as an
  // authoritative server does: the CNAME records, then the target's records of the asked type.
  void AddCname(std::string_view name, std::string_view target);
  // SetFault makes every query for exactly |name| fail as |fault| (kNone clears it).
  void SetFault(std::string_view name, DnsFault fault);
  // SetTypeFault makes only queries for |name| and |type| fail (an authoritative server that
  // drops AAAA queries, say); the name's other types answer normally.
  void SetTypeFault(std::string_view name, uint16_t type, DnsFault fault);

  // Answer builds the reply to one query message. |max_size| is the transport's limit (512 for
  // plain UDP, the advertised EDNS size if the query carries OPT, 65535 for TCP): a longer
  // answer is replaced by a truncated one (TC set, question only) so the client retries over TCP.
  // Returns false when nothing must be sent: a dropped name, a message that is itself a
  // response, or one too short to carry an ID to answer to. Malformed queries get FORMERR.
  bool Answer(const uint8_t* query, size_t length, size_t max_size, std::vector<uint8_t>* out);

  // QueryCount is how many well-formed queries for |name| and |type| arrived (dropped ones
  // included); total_queries counts every query answered or dropped.
  size_t QueryCount(std::string_view name, uint16_t type) const;
  size_t total_queries() const { return total_queries_; }
  void ResetCounts();

 private:
  struct Rr {
    uint16_t type;
    uint16_t preference;   // MX
    std::string target;    // MX, CNAME ("" = root)
    IpAddress address;     // A, AAAA
  };

  bool Exists(const std::string& name) const;
  void Add(std::string_view name, Rr rr);

  std::map<std::string, std::vector<Rr>> records_;
  std::map<std::string, DnsFault> faults_;
  std::map<std::pair<std::string, uint16_t>, DnsFault> type_faults_;
  std::unordered_set<std::string> parents_;  // proper parents of every owner in records_
  std::map<std::pair<std::string, uint16_t>, size_t> counts_;
  size_t total_queries_ = 0;
};

}  // namespace mxsweep::sim
