// dns_wire.h: DNS message parsing and building (RFC 1035 §4), shared by the resolver (A/AAAA
// answers, CNAME chains) and the simulated authoritative responder (queries in, answers out).
//
// Every byte parsed here comes from the network: Reader is a bounds-checked cursor in the style
// of BoringSSL's CBS. Each read returns false instead of reading past the end, and a failed read
// leaves the output untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mxsweep::dns {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeCname = 5;
constexpr uint16_t kTypeSoa = 6;
constexpr uint16_t kTypeMx = 15;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kTypeOpt = 41;
constexpr uint16_t kClassIn = 1;

constexpr uint8_t kRcodeNoError = 0;
constexpr uint8_t kRcodeFormErr = 1;
constexpr uint8_t kRcodeServFail = 2;
constexpr uint8_t kRcodeNxDomain = 3;
constexpr uint8_t kRcodeNotImp = 4;
constexpr uint8_t kRcodeRefused = 5;

constexpr uint16_t kFlagQr = 0x8000;
constexpr uint16_t kFlagAa = 0x0400;
constexpr uint16_t kFlagTc = 0x0200;
constexpr uint16_t kFlagRd = 0x0100;

constexpr size_t kHeaderSize = 12;
// The classic UDP payload limit (RFC 1035 §4.2.1); larger answers need EDNS or TCP.
constexpr size_t kMaxUdpPayload = 512;

// Reader walks one DNS message. Names may be compressed with pointers to anywhere earlier in
// the message, so the reader keeps the whole message, not only the unread rest.
class Reader {
 public:
  Reader(const uint8_t* message, size_t length) : msg_(message), len_(length) {}

  bool ReadU8(uint8_t* out);
  bool ReadU16(uint16_t* out);
  bool ReadU32(uint32_t* out);
  // ReadBytes points |out| at the next |n| bytes of the message and skips them.
  bool ReadBytes(size_t n, const uint8_t** out);
  bool Skip(size_t n);
  // ReadName reads a possibly compressed name as lower-case dotted text without the trailing dot
  // (the root is ""). It fails on a pointer that does not point strictly backwards (that is how
  // loops are refused), on more than 255 wire octets, on label types other than 0 and pointer,
  // and on labels containing '.' or NUL (they would make the text form ambiguous).
  bool ReadName(std::string* out);

  size_t offset() const { return pos_; }
  size_t remaining() const { return len_ - pos_; }
  const uint8_t* message() const { return msg_; }
  size_t message_length() const { return len_; }

 private:
  const uint8_t* msg_;
  size_t len_;
  size_t pos_ = 0;
};

struct Header {
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t qdcount = 0;
  uint16_t ancount = 0;
  uint16_t nscount = 0;
  uint16_t arcount = 0;

  uint8_t rcode() const { return flags & 0x000f; }
  uint8_t opcode() const { return (flags >> 11) & 0x0f; }
};

struct Question {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
};

// Record is one resource record; its RDATA stays in the message (rdata_offset, rdata_length)
// because names inside RDATA may point anywhere into it.
struct Record {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  size_t rdata_offset = 0;
  size_t rdata_length = 0;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> answers;
  std::vector<Record> authority;
  std::vector<Record> additional;
};

bool ReadHeader(Reader* reader, Header* out);
bool ReadQuestion(Reader* reader, Question* out);
bool ReadRecord(Reader* reader, Record* out);

// ParseMessage parses a whole message. It fails on any truncated section and on trailing bytes
// after the last record the header announced. The message must outlive |out|'s RDATA offsets.
bool ParseMessage(const uint8_t* message, size_t length, Message* out);

// RdataName reads the single name that is the RDATA of a CNAME record.
bool RdataName(const uint8_t* message, size_t length, const Record& record, std::string* out);

// Writer builds a message. Names are written uncompressed: answers here are small or go over TCP.
class Writer {
 public:
  void U8(uint8_t v) { buf_.push_back(v); }
  void U16(uint16_t v);
  void U32(uint32_t v);
  void Bytes(const uint8_t* data, size_t n) { buf_.insert(buf_.end(), data, data + n); }
  // Name writes |name| (dotted, with or without a trailing dot; "" or "." is the root). It
  // returns false for an empty label or one over 63 octets, or a name over 255 wire octets.
  bool Name(std::string_view name);
  // PatchU16 overwrites two bytes already written at |offset| (RDLENGTH, section counts).
  void PatchU16(size_t offset, uint16_t v);

  size_t size() const { return buf_.size(); }
  const std::vector<uint8_t>& bytes() const { return buf_; }
  std::vector<uint8_t> Release() { return std::move(buf_); }

 private:
  std::vector<uint8_t> buf_;
};

// WriteHeader appends a 12-byte header.
void WriteHeader(Writer* writer, const Header& header);

}  // namespace mxsweep::dns
