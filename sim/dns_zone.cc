#include "sim/dns_zone.h"

#include "base/ascii.h"
#include "resolver/dns_wire.h"

namespace mxsweep::sim {

namespace {

// Same bound as the resolver's: a longer chain inside one zone is a test mistake.
constexpr int kMaxCnameHops = 8;
// What the responder advertises and accepts as EDNS UDP size: the DNS flag day 2020 value,
// which avoids IP fragmentation on every common path.
constexpr uint16_t kEdnsPayload = 1232;
constexpr uint32_t kTtl = 300;

std::string Canonical(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return LowerAscii(name);
}

void WriteOpt(dns::Writer* w) {
  w->U8(0);  // root owner
  w->U16(dns::kTypeOpt);
  w->U16(kEdnsPayload);
  w->U32(0);
  w->U16(0);
}

}  // namespace

void DnsZone::Add(std::string_view name, Rr rr) {
  std::string owner = Canonical(name);
  // Every proper parent of an owner name exists (an empty non-terminal, when it has no records
  // of its own). Kept as a set so Exists is a lookup: a scan of the whole zone per NXDOMAIN made
  // the DNS responder the bound of the 1M-domain benchmark.
  for (size_t dot = owner.find('.'); dot != std::string::npos; dot = owner.find('.', dot + 1)) {
    if (dot + 1 < owner.size()) parents_.insert(owner.substr(dot + 1));
  }
  records_[owner].push_back(std::move(rr));
}

void DnsZone::AddMx(std::string_view name, uint16_t preference, std::string_view target) {
  Add(name, Rr{dns::kTypeMx, preference, Canonical(target), {}});
}

bool DnsZone::AddA(std::string_view name, std::string_view address) {
  IpAddress addr;
  if (!IpAddress::Parse(address, &addr) || addr.family != AF_INET) return false;
  Add(name, Rr{dns::kTypeA, 0, "", addr});
  return true;
}

bool DnsZone::AddAaaa(std::string_view name, std::string_view address) {
  IpAddress addr;
  if (!IpAddress::Parse(address, &addr) || addr.family != AF_INET6) return false;
  Add(name, Rr{dns::kTypeAaaa, 0, "", addr});
  return true;
}

void DnsZone::AddCname(std::string_view name, std::string_view target) {
  Add(name, Rr{dns::kTypeCname, 0, Canonical(target), {}});
}

void DnsZone::SetFault(std::string_view name, DnsFault fault) {
  if (fault == DnsFault::kNone) {
    faults_.erase(Canonical(name));
  } else {
    faults_[Canonical(name)] = fault;
  }
}

void DnsZone::SetTypeFault(std::string_view name, uint16_t type, DnsFault fault) {
  if (fault == DnsFault::kNone) {
    type_faults_.erase({Canonical(name), type});
  } else {
    type_faults_[{Canonical(name), type}] = fault;
  }
}

size_t DnsZone::QueryCount(std::string_view name, uint16_t type) const {
  auto it = counts_.find({Canonical(name), type});
  return it == counts_.end() ? 0 : it->second;
}

void DnsZone::ResetCounts() {
  counts_.clear();
  total_queries_ = 0;
}

bool DnsZone::Exists(const std::string& name) const {
  return records_.count(name) != 0 || faults_.count(name) != 0 || parents_.count(name) != 0;
}

bool DnsZone::Answer(const uint8_t* query, size_t length, size_t max_size,
                     std::vector<uint8_t>* out) {
  dns::Reader reader(query, length);
  dns::Header header;
  if (!dns::ReadHeader(&reader, &header)) return false;  // no ID to answer to
  if (header.flags & dns::kFlagQr) return false;         // a response: answering could loop

  dns::Header reply;
  reply.id = header.id;
  reply.flags = dns::kFlagQr | dns::kFlagAa | (header.flags & dns::kFlagRd);
  dns::Writer w;

  // The rest of the query must parse exactly; anything else is FORMERR with no question.
  dns::Question question;
  bool edns = false;
  size_t udp_limit = max_size;
  bool well_formed = header.qdcount == 1 && header.ancount == 0 && header.nscount == 0 &&
                     dns::ReadQuestion(&reader, &question);
  for (uint16_t i = 0; well_formed && i < header.arcount; ++i) {
    dns::Record rr;
    if (!dns::ReadRecord(&reader, &rr)) {
      well_formed = false;
    } else if (rr.type == dns::kTypeOpt && !edns) {
      edns = true;
      // The OPT class is the client's UDP payload size; never below the classic 512.
      if (max_size == dns::kMaxUdpPayload && rr.klass > dns::kMaxUdpPayload) {
        udp_limit = rr.klass < kEdnsPayload ? rr.klass : kEdnsPayload;
      }
    }
  }
  if (!well_formed || reader.remaining() != 0) {
    reply.flags |= dns::kRcodeFormErr;
    dns::WriteHeader(&w, reply);
    *out = w.Release();
    return true;
  }
  if (header.opcode() != 0) {
    reply.flags |= dns::kRcodeNotImp;
    dns::WriteHeader(&w, reply);
    *out = w.Release();
    return true;
  }

  ++total_queries_;
  ++counts_[{question.name, question.type}];
  DnsFault fault = DnsFault::kNone;
  if (auto it = faults_.find(question.name); it != faults_.end()) {
    fault = it->second;
  } else if (auto typed = type_faults_.find({question.name, question.type}); typed != type_faults_.end()) {
    fault = typed->second;
  }
  if (fault == DnsFault::kDrop) return false;

  reply.qdcount = 1;
  reply.arcount = edns ? 1 : 0;
  std::vector<const Rr*> answer_rrs;
  std::vector<std::string> owners;
  if (fault != DnsFault::kNone) {
    reply.flags |= fault == DnsFault::kServFail ? dns::kRcodeServFail : dns::kRcodeRefused;
    reply.flags &= ~dns::kFlagAa;
  } else if (question.klass != dns::kClassIn) {
    reply.flags |= dns::kRcodeRefused;  // we hold no data in any other class
    reply.flags &= ~dns::kFlagAa;
  } else {
    std::string current = question.name;
    for (int hop = 0;; ++hop) {
      if (!Exists(current)) {
        reply.flags |= dns::kRcodeNxDomain;  // RFC 6604: also for the end of a CNAME chain
        break;
      }
      auto it = records_.find(current);
      if (it == records_.end()) break;  // empty non-terminal: NODATA
      const Rr* cname = nullptr;
      for (const Rr& rr : it->second) {
        if (rr.type == question.type) {
          answer_rrs.push_back(&rr);
          owners.push_back(current);
        } else if (rr.type == dns::kTypeCname) {
          cname = &rr;
        }
      }
      if (!answer_rrs.empty() || cname == nullptr || question.type == dns::kTypeCname ||
          hop == kMaxCnameHops) {
        break;
      }
      answer_rrs.push_back(cname);
      owners.push_back(current);
      current = cname->target;
    }
  }

  reply.ancount = static_cast<uint16_t>(answer_rrs.size());
  dns::WriteHeader(&w, reply);
  w.Name(question.name);
  w.U16(question.type);
  w.U16(question.klass);
  const size_t question_end = w.size();
  for (size_t i = 0; i < answer_rrs.size(); ++i) {
    const Rr& rr = *answer_rrs[i];
    w.Name(owners[i]);
    w.U16(rr.type);
    w.U16(dns::kClassIn);
    w.U32(kTtl);
    size_t rdlength_at = w.size();
    w.U16(0);
    size_t rdata_start = w.size();
    switch (rr.type) {
      case dns::kTypeMx:
        w.U16(rr.preference);
        w.Name(rr.target);
        break;
      case dns::kTypeCname:
        w.Name(rr.target);
        break;
      default:
        w.Bytes(rr.address.bytes.data(), rr.type == dns::kTypeA ? 4 : 16);
        break;
    }
    w.PatchU16(rdlength_at, static_cast<uint16_t>(w.size() - rdata_start));
  }
  if (edns) WriteOpt(&w);

  if (w.size() > udp_limit) {
    // Keep the header and question, drop every record, set TC: RFC 2181 §9 lets the client
    // ignore a partial answer anyway, and c-ares retries over TCP on TC.
    std::vector<uint8_t> truncated(w.bytes().begin(), w.bytes().begin() + question_end);
    dns::Writer t;
    dns::Header th = reply;
    th.flags |= dns::kFlagTc;
    th.ancount = 0;
    th.arcount = 0;
    dns::WriteHeader(&t, th);
    t.Bytes(truncated.data() + dns::kHeaderSize, truncated.size() - dns::kHeaderSize);
    *out = t.Release();
    return true;
  }
  *out = w.Release();
  return true;
}

}  // namespace mxsweep::sim
