#include <gtest/gtest.h>

#include <string>

#include "base/ascii.h"
#include "base/utf8.h"

namespace mxsweep {
namespace {

TEST(Ascii, LowersOnlyAsciiLetters) {
  EXPECT_EQ(ToLowerAscii('A'), 'a');
  EXPECT_EQ(ToLowerAscii('Z'), 'z');
  EXPECT_EQ(ToLowerAscii('a'), 'a');
  EXPECT_EQ(ToLowerAscii('@'), '@');  // just below 'A'
  EXPECT_EQ(ToLowerAscii('['), '[');  // just above 'Z'
  EXPECT_EQ(ToLowerAscii('\xc4'), '\xc4');  // Latin-1 'Ä' is not ASCII: untouched
  EXPECT_EQ(LowerAscii("MX1.Example.COM-_9"), "mx1.example.com-_9");
  EXPECT_EQ(LowerAscii("B\xc3\x9c" "CHER"), "b\xc3\x9c" "cher");  // UTF-8 'Ü' stays
  std::string text = "Domain";
  LowerAsciiInPlace(&text);
  EXPECT_EQ(text, "domain");
}

TEST(Ascii, EqualsIgnoringAsciiCase) {
  EXPECT_TRUE(EqualsIgnoringAsciiCase("DOMAIN", "domain"));
  EXPECT_TRUE(EqualsIgnoringAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("domains", "domain"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("d0main", "domain"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("\xc3\x9c", "\xc3\xbc"));  // 'Ü' vs 'ü': not ASCII case
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_TRUE(ValidUtf8("example.com"));
  EXPECT_TRUE(ValidUtf8("b\xc3\xbc" "cher"));          // U+00FC, two bytes
  EXPECT_TRUE(ValidUtf8("\xe4\xbe\x8b"));              // U+4F8B, three bytes
  EXPECT_TRUE(ValidUtf8("\xf0\x9f\x93\xa7"));          // U+1F4E7, four bytes
  EXPECT_TRUE(ValidUtf8("\xf4\x8f\xbf\xbf"));          // U+10FFFF, the last code point
  EXPECT_TRUE(ValidUtf8(std::string("a\0b", 3)));      // NUL is valid UTF-8 (CheckText refuses it)
}

TEST(Utf8, RefusesMalformedText) {
  EXPECT_FALSE(ValidUtf8("b\xfc" "cher"));            // Latin-1
  EXPECT_FALSE(ValidUtf8("\xc0\xae"));               // overlong '.'
  EXPECT_FALSE(ValidUtf8("\xe0\x80\xae"));           // overlong, three bytes
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));           // U+D800, a surrogate
  EXPECT_FALSE(ValidUtf8("\xf4\x90\x80\x80"));       // above U+10FFFF
  EXPECT_FALSE(ValidUtf8("\xe2\x82"));               // truncated
  EXPECT_FALSE(ValidUtf8("\x80"));                   // a lone continuation byte
  EXPECT_FALSE(ValidUtf8("\xc3\x28"));               // a lead byte without its continuation
}

}  // namespace
}  // namespace mxsweep
