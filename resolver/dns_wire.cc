#include "resolver/dns_wire.h"

#include "base/ascii.h"

namespace mxsweep::dns {

// RFC 1035 §3.1: a name is at most 255 octets on the wire, length octets included.
constexpr size_t kMaxWireName = 255;

bool Reader::ReadU8(uint8_t* out) {
  if (remaining() < 1) return false;
  *out = msg_[pos_++];
  return true;
}

bool Reader::ReadU16(uint16_t* out) {
  if (remaining() < 2) return false;
  *out = static_cast<uint16_t>(msg_[pos_] << 8 | msg_[pos_ + 1]);
  pos_ += 2;
  return true;
}

bool Reader::ReadU32(uint32_t* out) {
  if (remaining() < 4) return false;
  *out = uint32_t{msg_[pos_]} << 24 | uint32_t{msg_[pos_ + 1]} << 16 |
         uint32_t{msg_[pos_ + 2]} << 8 | msg_[pos_ + 3];
  pos_ += 4;
  return true;
}

bool Reader::ReadBytes(size_t n, const uint8_t** out) {
  if (remaining() < n) return false;
  *out = msg_ + pos_;
  pos_ += n;
  return true;
}

bool Reader::Skip(size_t n) {
  if (remaining() < n) return false;
  pos_ += n;
  return true;
}

bool Reader::ReadName(std::string* out) {
  std::string name;
  size_t cursor = pos_;
  // Where the reader continues after the name: just past the first pointer, if any.
  size_t resume = 0;
  bool jumped = false;
  size_t wire_octets = 0;
  for (;;) {
    if (cursor >= len_) return false;
    uint8_t len = msg_[cursor];
    if ((len & 0xc0) == 0xc0) {
      if (cursor + 1 >= len_) return false;
      size_t target = size_t{len & 0x3fu} << 8 | msg_[cursor + 1];
      // Only strictly backwards pointers: a chain of pointers then always ends, and a cycle that
      // passes through labels runs into the 255-octet bound below.
      if (target >= cursor) return false;
      if (!jumped) resume = cursor + 2;
      jumped = true;
      cursor = target;
      continue;
    }
    if ((len & 0xc0) != 0) return false;  // 01/10: extended and obsolete label types
    wire_octets += 1 + len;
    if (wire_octets > kMaxWireName) return false;
    if (len == 0) {
      ++cursor;
      break;
    }
    if (cursor + 1 + len > len_) return false;
    if (!name.empty()) name.push_back('.');
    for (size_t i = 0; i < len; ++i) {
      char c = static_cast<char>(msg_[cursor + 1 + i]);
      if (c == '.' || c == '\0') return false;
      name.push_back(ToLowerAscii(c));
    }
    cursor += 1 + len;
  }
  pos_ = jumped ? resume : cursor;
  *out = std::move(name);
  return true;
}

bool ReadHeader(Reader* reader, Header* out) {
  Header h;
  if (!reader->ReadU16(&h.id) || !reader->ReadU16(&h.flags) || !reader->ReadU16(&h.qdcount) ||
      !reader->ReadU16(&h.ancount) || !reader->ReadU16(&h.nscount) ||
      !reader->ReadU16(&h.arcount)) {
    return false;
  }
  *out = h;
  return true;
}

bool ReadQuestion(Reader* reader, Question* out) {
  Question q;
  if (!reader->ReadName(&q.name) || !reader->ReadU16(&q.type) || !reader->ReadU16(&q.klass)) {
    return false;
  }
  *out = std::move(q);
  return true;
}

bool ReadRecord(Reader* reader, Record* out) {
  Record r;
  uint16_t rdlength = 0;
  if (!reader->ReadName(&r.name) || !reader->ReadU16(&r.type) || !reader->ReadU16(&r.klass) ||
      !reader->ReadU32(&r.ttl) || !reader->ReadU16(&rdlength)) {
    return false;
  }
  r.rdata_offset = reader->offset();
  r.rdata_length = rdlength;
  if (!reader->Skip(rdlength)) return false;
  *out = std::move(r);
  return true;
}

namespace {

bool ReadRecords(Reader* reader, uint16_t count, std::vector<Record>* out) {
  out->clear();
  for (uint16_t i = 0; i < count; ++i) {
    Record r;
    if (!ReadRecord(reader, &r)) return false;
    out->push_back(std::move(r));
  }
  return true;
}

}  // namespace

bool ParseMessage(const uint8_t* message, size_t length, Message* out) {
  Reader reader(message, length);
  Message m;
  if (!ReadHeader(&reader, &m.header)) return false;
  for (uint16_t i = 0; i < m.header.qdcount; ++i) {
    Question q;
    if (!ReadQuestion(&reader, &q)) return false;
    m.questions.push_back(std::move(q));
  }
  if (!ReadRecords(&reader, m.header.ancount, &m.answers) ||
      !ReadRecords(&reader, m.header.nscount, &m.authority) ||
      !ReadRecords(&reader, m.header.arcount, &m.additional)) {
    return false;
  }
  if (reader.remaining() != 0) return false;
  *out = std::move(m);
  return true;
}

bool RdataName(const uint8_t* message, size_t length, const Record& record, std::string* out) {
  if (record.rdata_offset + record.rdata_length > length) return false;
  Reader reader(message, length);
  if (!reader.Skip(record.rdata_offset)) return false;
  std::string name;
  if (!reader.ReadName(&name)) return false;
  // The name must use exactly the RDATA, no more (a pointer may reach outside, the labels not).
  if (reader.offset() != record.rdata_offset + record.rdata_length) return false;
  *out = std::move(name);
  return true;
}

void Writer::U16(uint16_t v) {
  buf_.push_back(static_cast<uint8_t>(v >> 8));
  buf_.push_back(static_cast<uint8_t>(v));
}

void Writer::U32(uint32_t v) {
  U16(static_cast<uint16_t>(v >> 16));
  U16(static_cast<uint16_t>(v));
}

bool Writer::Name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::vector<uint8_t> wire;
  while (!name.empty()) {
    size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63) return false;
    wire.push_back(static_cast<uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
    if (name.empty()) return false;  // "a..": an empty label before the stripped root
  }
  wire.push_back(0);
  if (wire.size() > kMaxWireName) return false;
  buf_.insert(buf_.end(), wire.begin(), wire.end());
  return true;
}

void Writer::PatchU16(size_t offset, uint16_t v) {
  if (offset + 2 > buf_.size()) return;
  buf_[offset] = static_cast<uint8_t>(v >> 8);
  buf_[offset + 1] = static_cast<uint8_t>(v);
}

void WriteHeader(Writer* writer, const Header& h) {
  writer->U16(h.id);
  writer->U16(h.flags);
  writer->U16(h.qdcount);
  writer->U16(h.ancount);
  writer->U16(h.nscount);
  writer->U16(h.arcount);
}

}  // namespace mxsweep::dns
