#include "tls/client_hello.h"

#include <openssl/bytestring.h>
#include <openssl/curve25519.h>
#include <openssl/ec.h>
#include <openssl/ec_key.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/rand.h>

#include <algorithm>

#include "base/ip_address.h"
#include "tls/cipher_suites.h"
#include "tls/client_contexts.h"

namespace mxsweep::tls {
namespace {

// Extension code points (IANA TLS ExtensionType Values).
constexpr uint16_t kExtServerName = 0;
constexpr uint16_t kExtSupportedGroups = 10;
constexpr uint16_t kExtEcPointFormats = 11;
constexpr uint16_t kExtSignatureAlgorithms = 13;
constexpr uint16_t kExtSupportedVersions = 43;
constexpr uint16_t kExtPskKeyExchangeModes = 45;
constexpr uint16_t kExtKeyShare = 51;

constexpr uint16_t kRenegotiationScsv = 0x00FF;
constexpr uint16_t kGroupX25519 = 29;
constexpr uint16_t kGroupP256 = 23;

// What OpenSSL 1.1.1 clients send, the most common legacy MTA client: X25519, P-256, X448,
// P-521, P-384. No FFDHE groups: an RFC 7919 server (GnuTLS, so Debian's Exim) that sees them
// may refuse its own DHE parameters, and the question is what a legacy client gets.
constexpr uint16_t kGroups[] = {kGroupX25519, kGroupP256, 30, 25, 24};

// ECDSA, RSA-PSS and RSA PKCS#1 with SHA-2, EdDSA, then the SHA-1 and DSA schemes old servers
// still sign with.
constexpr uint16_t kSignatureAlgorithms[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A,
    0x080B, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201, 0x0402, 0x0202,
};

// The record layer allows 2^14 bytes of plaintext (RFC 5246 6.2.1, RFC 8446 5.1).
constexpr size_t kMaxRecordPlaintext = 16384;

bool AddU16List(CBB* cbb, const uint16_t* values, size_t count) {
  CBB list;
  if (!CBB_add_u16_length_prefixed(cbb, &list)) return false;
  for (size_t i = 0; i < count; i++) {
    if (!CBB_add_u16(&list, values[i])) return false;
  }
  return CBB_flush(cbb);
}

// AddExtension opens extension |type| and hands its body to |fill|.
template <typename Fill>
bool AddExtension(CBB* extensions, uint16_t type, Fill fill) {
  CBB body;
  return CBB_add_u16(extensions, type) && CBB_add_u16_length_prefixed(extensions, &body) &&
         fill(&body) && CBB_flush(extensions);
}

bool AddExtensions(CBB* body, const HelloOffer& offer, const HelloSecrets& secrets) {
  CBB ext;
  if (!CBB_add_u16_length_prefixed(body, &ext)) return false;
  if (!offer.server_name.empty() && offer.server_name.size() <= 255 &&
      !IsAddressLiteral(offer.server_name)) {
    if (!AddExtension(&ext, kExtServerName, [&](CBB* b) -> bool {
          CBB list, name;
          return CBB_add_u16_length_prefixed(b, &list) && CBB_add_u8(&list, 0 /* host_name */) &&
                 CBB_add_u16_length_prefixed(&list, &name) &&
                 CBB_add_bytes(&name, reinterpret_cast<const uint8_t*>(offer.server_name.data()),
                               offer.server_name.size()) &&
                 CBB_flush(b);
        })) {
      return false;
    }
  }
  if (!AddExtension(&ext, kExtEcPointFormats, [](CBB* b) -> bool {
        CBB formats;
        return CBB_add_u8_length_prefixed(b, &formats) && CBB_add_u8(&formats, 0 /* uncompressed */) &&
               CBB_flush(b);
      }) ||
      !AddExtension(&ext, kExtSupportedGroups,
                    [](CBB* b) -> bool { return AddU16List(b, kGroups, std::size(kGroups)); })) {
    return false;
  }
  if (offer.signature_algorithms &&
      !AddExtension(&ext, kExtSignatureAlgorithms, [](CBB* b) -> bool {
        return AddU16List(b, kSignatureAlgorithms, std::size(kSignatureAlgorithms));
      })) {
    return false;
  }
  if (!offer.supported_versions.empty() &&
      !AddExtension(&ext, kExtSupportedVersions, [&](CBB* b) -> bool {
        CBB list;
        if (!CBB_add_u8_length_prefixed(b, &list)) return false;
        for (uint16_t v : offer.supported_versions) {
          if (!CBB_add_u16(&list, v)) return false;
        }
        return CBB_flush(b);
      })) {
    return false;
  }
  if (offer.key_shares) {
    if (!AddExtension(&ext, kExtPskKeyExchangeModes, [](CBB* b) -> bool {
          CBB modes;
          return CBB_add_u8_length_prefixed(b, &modes) && CBB_add_u8(&modes, 1 /* psk_dhe_ke */) &&
                 CBB_flush(b);
        }) ||
        !AddExtension(&ext, kExtKeyShare, [&](CBB* b) -> bool {
          CBB shares, x25519, p256;
          return CBB_add_u16_length_prefixed(b, &shares) && CBB_add_u16(&shares, kGroupX25519) &&
                 CBB_add_u16_length_prefixed(&shares, &x25519) &&
                 CBB_add_bytes(&x25519, secrets.x25519_public.data(), secrets.x25519_public.size()) &&
                 CBB_add_u16(&shares, kGroupP256) && CBB_add_u16_length_prefixed(&shares, &p256) &&
                 CBB_add_bytes(&p256, secrets.p256_public.data(), secrets.p256_public.size()) &&
                 CBB_flush(b);
        })) {
      return false;
    }
  }
  return CBB_flush(body);
}

}  // namespace

std::vector<uint16_t> ExoSuitesBoringSslLacks() {
  std::vector<uint16_t> out;
  for (uint16_t id : kExoCipherSuites) {
    if (!BoringSslImplements(id)) out.push_back(id);
  }
  return out;
}

HelloOffer OfferFor(ProbeKind kind, std::string server_name) {
  HelloOffer offer;
  offer.server_name = std::move(server_name);
  uint16_t max = MaxVersion(kind);
  switch (kind) {
    case ProbeKind::kHelloExo: offer.cipher_suites = ExoSuitesBoringSslLacks(); break;
    case ProbeKind::kHelloAuto:
    case ProbeKind::kHelloLegacy:
      // A range: the suites of its highest version, which include the older versions' ones
      // (export suites aside, which TLS 1.1+ clients may not offer).
      offer.cipher_suites = SuitesForVersion(max);
      break;
    default: offer.cipher_suites = SuitesForVersion(max); break;
  }
  offer.client_version = max == kTls13 ? kTls12 : max;
  offer.record_version = max == kSsl3 ? kSsl3 : kTls10;
  offer.extensions = max != kSsl3;
  offer.signature_algorithms = max >= kTls12;
  if (max == kTls13) {
    offer.supported_versions = {kTls13};
    offer.key_shares = true;
    offer.renegotiation_scsv = false;  // TLS 1.3 has no renegotiation
  }
  return offer;
}

namespace {

// KeyShares are the public halves of one X25519 and one P-256 key pair.
struct KeyShares {
  bool ok = false;
  std::array<uint8_t, 32> x25519{};
  std::array<uint8_t, 65> p256{};
};

KeyShares MakeKeyShares() {
  KeyShares shares;
  uint8_t x25519_private[32];
  X25519_keypair(shares.x25519.data(), x25519_private);
  OPENSSL_cleanse(x25519_private, sizeof(x25519_private));
  bssl::UniquePtr<EC_KEY> key(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  shares.ok = key && EC_KEY_generate_key(key.get()) &&
              EC_POINT_point2oct(EC_KEY_get0_group(key.get()), EC_KEY_get0_public_key(key.get()),
                                 POINT_CONVERSION_UNCOMPRESSED, shares.p256.data(), shares.p256.size(),
                                 nullptr) == shares.p256.size();
  return shares;
}

}  // namespace

bool NewHelloSecrets(HelloSecrets* out) {
  RAND_bytes(out->random.data(), out->random.size());
  RAND_bytes(out->session_id.data(), out->session_id.size());
  // The key shares are made once per process. Their private halves are gone at once and no
  // raw-hello probe ever derives a secret, so a fresh pair per hello would buy nothing and cost
  // ~120 us of CPU each (bench/RESULTS.md, BM_NewHelloSecrets): more than the rest of the probe.
  static const KeyShares shares = MakeKeyShares();
  if (!shares.ok) return false;
  out->x25519_public = shares.x25519;
  out->p256_public = shares.p256;
  return true;
}

bool BuildClientHello(const HelloOffer& offer, const HelloSecrets& secrets, std::string* out) {
  out->clear();
  if (offer.cipher_suites.empty()) return false;
  bssl::ScopedCBB cbb;
  CBB record, message, session_id, suites, compression;
  bool ok = CBB_init(cbb.get(), 1024) && CBB_add_u8(cbb.get(), 22 /* handshake */) &&
            CBB_add_u16(cbb.get(), offer.record_version) &&
            CBB_add_u16_length_prefixed(cbb.get(), &record) &&
            CBB_add_u8(&record, 1 /* client_hello */) &&
            CBB_add_u24_length_prefixed(&record, &message) &&
            CBB_add_u16(&message, offer.client_version) &&
            CBB_add_bytes(&message, secrets.random.data(), secrets.random.size()) &&
            CBB_add_u8_length_prefixed(&message, &session_id);
  // TLS 1.3 clients send a session id so middleboxes see a resumption-looking hello (RFC 8446
  // D.4); older offers start a fresh session.
  if (ok && !offer.supported_versions.empty()) {
    ok = CBB_add_bytes(&session_id, secrets.session_id.data(), secrets.session_id.size());
  }
  ok = ok && CBB_add_u16_length_prefixed(&message, &suites);
  for (size_t i = 0; ok && i < offer.cipher_suites.size(); i++) {
    ok = CBB_add_u16(&suites, offer.cipher_suites[i]);
  }
  if (ok && offer.renegotiation_scsv) ok = CBB_add_u16(&suites, kRenegotiationScsv);
  ok = ok && CBB_add_u8_length_prefixed(&message, &compression) &&
       CBB_add_u8(&compression, 0 /* null */);
  if (ok && offer.extensions) ok = AddExtensions(&message, offer, secrets);
  uint8_t* data = nullptr;
  size_t len = 0;
  if (!ok || !CBB_finish(cbb.get(), &data, &len)) return false;
  bssl::UniquePtr<uint8_t> owned(data);
  if (len - 5 > kMaxRecordPlaintext) return false;
  out->assign(reinterpret_cast<const char*>(data), len);
  return true;
}

bool ParseClientHello(std::string_view record, ClientHelloView* out) {
  *out = ClientHelloView();
  CBS cbs, fragment, message, session_id, suites, compression, extensions;
  CBS_init(&cbs, reinterpret_cast<const uint8_t*>(record.data()), record.size());
  uint8_t type, hs_type;
  if (!CBS_get_u8(&cbs, &type) || type != 22 || !CBS_get_u16(&cbs, &out->record_version) ||
      !CBS_get_u16_length_prefixed(&cbs, &fragment) || CBS_len(&cbs) != 0 ||
      !CBS_get_u8(&fragment, &hs_type) || hs_type != 1 ||
      !CBS_get_u24_length_prefixed(&fragment, &message) || CBS_len(&fragment) != 0 ||
      !CBS_get_u16(&message, &out->client_version) ||
      !CBS_copy_bytes(&message, out->random.data(), out->random.size()) ||
      !CBS_get_u8_length_prefixed(&message, &session_id) || CBS_len(&session_id) > 32 ||
      !CBS_get_u16_length_prefixed(&message, &suites) || CBS_len(&suites) == 0 ||
      CBS_len(&suites) % 2 != 0 || !CBS_get_u8_length_prefixed(&message, &compression) ||
      CBS_len(&compression) == 0) {
    return false;
  }
  out->session_id.assign(reinterpret_cast<const char*>(CBS_data(&session_id)), CBS_len(&session_id));
  while (CBS_len(&suites) > 0) {
    uint16_t suite;
    if (!CBS_get_u16(&suites, &suite)) return false;
    out->cipher_suites.push_back(suite);
  }
  out->compression_methods.assign(CBS_data(&compression), CBS_data(&compression) + CBS_len(&compression));
  if (CBS_len(&message) == 0) return true;  // no extensions (SSL 3.0 style)
  if (!CBS_get_u16_length_prefixed(&message, &extensions) || CBS_len(&message) != 0) return false;
  auto u16_list = [](CBS* in, std::vector<uint16_t>* list, bool u8_prefix) {
    CBS items;
    if (!(u8_prefix ? CBS_get_u8_length_prefixed(in, &items) : CBS_get_u16_length_prefixed(in, &items)) ||
        CBS_len(in) != 0 || CBS_len(&items) % 2 != 0) {
      return false;
    }
    while (CBS_len(&items) > 0) {
      uint16_t v;
      if (!CBS_get_u16(&items, &v)) return false;
      list->push_back(v);
    }
    return true;
  };
  while (CBS_len(&extensions) > 0) {
    uint16_t ext_type;
    CBS ext;
    if (!CBS_get_u16(&extensions, &ext_type) || !CBS_get_u16_length_prefixed(&extensions, &ext)) return false;
    if (std::find(out->extension_types.begin(), out->extension_types.end(), ext_type) !=
        out->extension_types.end()) {
      return false;
    }
    out->extension_types.push_back(ext_type);
    bool ok = true;
    switch (ext_type) {
      case kExtServerName: {
        CBS list, name;
        uint8_t name_type;
        ok = CBS_get_u16_length_prefixed(&ext, &list) && CBS_len(&ext) == 0 &&
             CBS_get_u8(&list, &name_type) && name_type == 0 &&
             CBS_get_u16_length_prefixed(&list, &name) && CBS_len(&list) == 0;
        if (ok) out->server_name.assign(reinterpret_cast<const char*>(CBS_data(&name)), CBS_len(&name));
        break;
      }
      case kExtSupportedGroups: ok = u16_list(&ext, &out->supported_groups, false); break;
      case kExtSignatureAlgorithms: ok = u16_list(&ext, &out->signature_algorithms, false); break;
      case kExtSupportedVersions: ok = u16_list(&ext, &out->supported_versions, true); break;
      case kExtEcPointFormats: {
        CBS formats;
        ok = CBS_get_u8_length_prefixed(&ext, &formats) && CBS_len(&ext) == 0;
        if (ok) out->ec_point_formats.assign(CBS_data(&formats), CBS_data(&formats) + CBS_len(&formats));
        break;
      }
      case kExtKeyShare: {
        CBS shares;
        ok = CBS_get_u16_length_prefixed(&ext, &shares) && CBS_len(&ext) == 0;
        while (ok && CBS_len(&shares) > 0) {
          uint16_t group;
          CBS key;
          ok = CBS_get_u16(&shares, &group) && CBS_get_u16_length_prefixed(&shares, &key) &&
               CBS_len(&key) > 0;
          if (ok) out->key_share_groups.push_back(group);
        }
        break;
      }
      default: break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace mxsweep::tls
