// json_writer.h: a small streaming JSON builder for JSONL records.
//
// Keys and string values are escaped per RFC 8259; the caller sanitises text from strangers
// first (SanitizeText) so that every output stays printable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mxsweep::output {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // StringOrNull writes null for an empty value.
  JsonWriter& StringOrNull(std::string_view value);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();

  std::string out_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

// AppendJsonString appends |value| as a quoted JSON string to |out|.
void AppendJsonString(std::string* out, std::string_view value);

}  // namespace mxsweep::output
