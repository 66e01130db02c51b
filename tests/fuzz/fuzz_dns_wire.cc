// fuzz_dns_wire: DNS messages from the network (resolver answers, queries to the simulated
// responder) through the bounds-checked reader.
//
// Invariants checked: a parsed message's RDATA lies inside the message, names are at most 253
// text octets, and every name inside RDATA (CNAME, MX exchange) reads without going out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "resolver/dns_wire.h"

namespace dns = mxsweep::dns;

namespace {

void CheckRecords(const uint8_t* data, size_t size, const std::vector<dns::Record>& records) {
  for (const dns::Record& r : records) {
    if (r.rdata_offset > size || r.rdata_length > size - r.rdata_offset) std::abort();
    if (r.name.size() > 254) std::abort();
    std::string name;
    if (r.type == dns::kTypeCname) {
      dns::RdataName(data, size, r, &name);
    } else if (r.type == dns::kTypeMx && r.rdata_length >= 2) {
      dns::Reader reader(data, size);
      uint16_t preference = 0;
      if (reader.Skip(r.rdata_offset) && reader.ReadU16(&preference) && reader.ReadName(&name) &&
          reader.offset() > r.rdata_offset + r.rdata_length + 255) {
        std::abort();
      }
    }
    if (name.size() > 254) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dns::Message message;
  if (dns::ParseMessage(data, size, &message)) {
    CheckRecords(data, size, message.answers);
    CheckRecords(data, size, message.authority);
    CheckRecords(data, size, message.additional);
  }
  // The record-at-a-time path the responder uses for queries.
  dns::Reader reader(data, size);
  dns::Header header;
  if (dns::ReadHeader(&reader, &header)) {
    dns::Question question;
    for (int i = 0; i < header.qdcount && dns::ReadQuestion(&reader, &question); i++) {
      if (question.name.size() > 254) std::abort();
    }
  }
  return 0;
}
