#include "probes/content/charset.h"
#include "common/ascii.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

// A label longer than this is quoted cut (it is from the page or its header).
constexpr std::size_t kMaxLabel = 40;

struct Label {
  std::string_view label;
  std::string_view encoding;
};

// The WHATWG Encoding Standard's labels (encodings.json), sorted.
constexpr Label kLabels[] = {
    {"866", "ibm866"},
    {"ansi_x3.4-1968", "windows-1252"},
    {"arabic", "iso-8859-6"},
    {"ascii", "windows-1252"},
    {"asmo-708", "iso-8859-6"},
    {"big5", "big5"},
    {"big5-hkscs", "big5"},
    {"chinese", "gbk"},
    {"cn-big5", "big5"},
    {"cp1250", "windows-1250"},
    {"cp1251", "windows-1251"},
    {"cp1252", "windows-1252"},
    {"cp1253", "windows-1253"},
    {"cp1254", "windows-1254"},
    {"cp1255", "windows-1255"},
    {"cp1256", "windows-1256"},
    {"cp1257", "windows-1257"},
    {"cp1258", "windows-1258"},
    {"cp819", "windows-1252"},
    {"cp866", "ibm866"},
    {"csbig5", "big5"},
    {"cseuckr", "euc-kr"},
    {"cseucpkdfmtjapanese", "euc-jp"},
    {"csgb2312", "gbk"},
    {"csibm866", "ibm866"},
    {"csiso2022jp", "iso-2022-jp"},
    {"csiso2022kr", "replacement"},
    {"csiso58gb231280", "gbk"},
    {"csiso88596e", "iso-8859-6"},
    {"csiso88596i", "iso-8859-6"},
    {"csiso88598e", "iso-8859-8"},
    {"csiso88598i", "iso-8859-8-i"},
    {"csisolatin1", "windows-1252"},
    {"csisolatin2", "iso-8859-2"},
    {"csisolatin3", "iso-8859-3"},
    {"csisolatin4", "iso-8859-4"},
    {"csisolatin5", "windows-1254"},
    {"csisolatin6", "iso-8859-10"},
    {"csisolatin9", "iso-8859-15"},
    {"csisolatinarabic", "iso-8859-6"},
    {"csisolatincyrillic", "iso-8859-5"},
    {"csisolatingreek", "iso-8859-7"},
    {"csisolatinhebrew", "iso-8859-8"},
    {"cskoi8r", "koi8-r"},
    {"csksc56011987", "euc-kr"},
    {"csmacintosh", "macintosh"},
    {"csshiftjis", "shift_jis"},
    {"csunicode", "utf-16le"},
    {"cyrillic", "iso-8859-5"},
    {"dos-874", "windows-874"},
    {"ecma-114", "iso-8859-6"},
    {"ecma-118", "iso-8859-7"},
    {"elot_928", "iso-8859-7"},
    {"euc-jp", "euc-jp"},
    {"euc-kr", "euc-kr"},
    {"gb18030", "gb18030"},
    {"gb2312", "gbk"},
    {"gb_2312", "gbk"},
    {"gb_2312-80", "gbk"},
    {"gbk", "gbk"},
    {"greek", "iso-8859-7"},
    {"greek8", "iso-8859-7"},
    {"hebrew", "iso-8859-8"},
    {"hz-gb-2312", "replacement"},
    {"ibm819", "windows-1252"},
    {"ibm866", "ibm866"},
    {"iso-10646-ucs-2", "utf-16le"},
    {"iso-2022-cn", "replacement"},
    {"iso-2022-cn-ext", "replacement"},
    {"iso-2022-jp", "iso-2022-jp"},
    {"iso-2022-kr", "replacement"},
    {"iso-8859-1", "windows-1252"},
    {"iso-8859-10", "iso-8859-10"},
    {"iso-8859-11", "windows-874"},
    {"iso-8859-13", "iso-8859-13"},
    {"iso-8859-14", "iso-8859-14"},
    {"iso-8859-15", "iso-8859-15"},
    {"iso-8859-16", "iso-8859-16"},
    {"iso-8859-2", "iso-8859-2"},
    {"iso-8859-3", "iso-8859-3"},
    {"iso-8859-4", "iso-8859-4"},
    {"iso-8859-5", "iso-8859-5"},
    {"iso-8859-6", "iso-8859-6"},
    {"iso-8859-6-e", "iso-8859-6"},
    {"iso-8859-6-i", "iso-8859-6"},
    {"iso-8859-7", "iso-8859-7"},
    {"iso-8859-8", "iso-8859-8"},
    {"iso-8859-8-e", "iso-8859-8"},
    {"iso-8859-8-i", "iso-8859-8-i"},
    {"iso-8859-9", "windows-1254"},
    {"iso-ir-100", "windows-1252"},
    {"iso-ir-101", "iso-8859-2"},
    {"iso-ir-109", "iso-8859-3"},
    {"iso-ir-110", "iso-8859-4"},
    {"iso-ir-126", "iso-8859-7"},
    {"iso-ir-127", "iso-8859-6"},
    {"iso-ir-138", "iso-8859-8"},
    {"iso-ir-144", "iso-8859-5"},
    {"iso-ir-148", "windows-1254"},
    {"iso-ir-149", "euc-kr"},
    {"iso-ir-157", "iso-8859-10"},
    {"iso-ir-58", "gbk"},
    {"iso8859-1", "windows-1252"},
    {"iso8859-10", "iso-8859-10"},
    {"iso8859-11", "windows-874"},
    {"iso8859-13", "iso-8859-13"},
    {"iso8859-14", "iso-8859-14"},
    {"iso8859-15", "iso-8859-15"},
    {"iso8859-2", "iso-8859-2"},
    {"iso8859-3", "iso-8859-3"},
    {"iso8859-4", "iso-8859-4"},
    {"iso8859-5", "iso-8859-5"},
    {"iso8859-6", "iso-8859-6"},
    {"iso8859-7", "iso-8859-7"},
    {"iso8859-8", "iso-8859-8"},
    {"iso8859-9", "windows-1254"},
    {"iso88591", "windows-1252"},
    {"iso885910", "iso-8859-10"},
    {"iso885911", "windows-874"},
    {"iso885913", "iso-8859-13"},
    {"iso885914", "iso-8859-14"},
    {"iso885915", "iso-8859-15"},
    {"iso88592", "iso-8859-2"},
    {"iso88593", "iso-8859-3"},
    {"iso88594", "iso-8859-4"},
    {"iso88595", "iso-8859-5"},
    {"iso88596", "iso-8859-6"},
    {"iso88597", "iso-8859-7"},
    {"iso88598", "iso-8859-8"},
    {"iso88599", "windows-1254"},
    {"iso_8859-1", "windows-1252"},
    {"iso_8859-15", "iso-8859-15"},
    {"iso_8859-1:1987", "windows-1252"},
    {"iso_8859-2", "iso-8859-2"},
    {"iso_8859-2:1987", "iso-8859-2"},
    {"iso_8859-3", "iso-8859-3"},
    {"iso_8859-3:1988", "iso-8859-3"},
    {"iso_8859-4", "iso-8859-4"},
    {"iso_8859-4:1988", "iso-8859-4"},
    {"iso_8859-5", "iso-8859-5"},
    {"iso_8859-5:1988", "iso-8859-5"},
    {"iso_8859-6", "iso-8859-6"},
    {"iso_8859-6:1987", "iso-8859-6"},
    {"iso_8859-7", "iso-8859-7"},
    {"iso_8859-7:1987", "iso-8859-7"},
    {"iso_8859-8", "iso-8859-8"},
    {"iso_8859-8:1988", "iso-8859-8"},
    {"iso_8859-9", "windows-1254"},
    {"iso_8859-9:1989", "windows-1254"},
    {"koi", "koi8-r"},
    {"koi8", "koi8-r"},
    {"koi8-r", "koi8-r"},
    {"koi8-ru", "koi8-u"},
    {"koi8-u", "koi8-u"},
    {"koi8_r", "koi8-r"},
    {"korean", "euc-kr"},
    {"ks_c_5601-1987", "euc-kr"},
    {"ks_c_5601-1989", "euc-kr"},
    {"ksc5601", "euc-kr"},
    {"ksc_5601", "euc-kr"},
    {"l1", "windows-1252"},
    {"l2", "iso-8859-2"},
    {"l3", "iso-8859-3"},
    {"l4", "iso-8859-4"},
    {"l5", "windows-1254"},
    {"l6", "iso-8859-10"},
    {"l9", "iso-8859-15"},
    {"latin1", "windows-1252"},
    {"latin2", "iso-8859-2"},
    {"latin3", "iso-8859-3"},
    {"latin4", "iso-8859-4"},
    {"latin5", "windows-1254"},
    {"latin6", "iso-8859-10"},
    {"logical", "iso-8859-8-i"},
    {"mac", "macintosh"},
    {"macintosh", "macintosh"},
    {"ms932", "shift_jis"},
    {"ms_kanji", "shift_jis"},
    {"replacement", "replacement"},
    {"shift-jis", "shift_jis"},
    {"shift_jis", "shift_jis"},
    {"sjis", "shift_jis"},
    {"sun_eu_greek", "iso-8859-7"},
    {"tis-620", "windows-874"},
    {"ucs-2", "utf-16le"},
    {"unicode", "utf-16le"},
    {"unicode-1-1-utf-8", "utf-8"},
    {"unicode11utf8", "utf-8"},
    {"unicode20utf8", "utf-8"},
    {"unicodefeff", "utf-16le"},
    {"unicodefffe", "utf-16be"},
    {"us-ascii", "windows-1252"},
    {"utf-16", "utf-16le"},
    {"utf-16be", "utf-16be"},
    {"utf-16le", "utf-16le"},
    {"utf-8", "utf-8"},
    {"utf8", "utf-8"},
    {"visual", "iso-8859-8"},
    {"windows-1250", "windows-1250"},
    {"windows-1251", "windows-1251"},
    {"windows-1252", "windows-1252"},
    {"windows-1253", "windows-1253"},
    {"windows-1254", "windows-1254"},
    {"windows-1255", "windows-1255"},
    {"windows-1256", "windows-1256"},
    {"windows-1257", "windows-1257"},
    {"windows-1258", "windows-1258"},
    {"windows-31j", "shift_jis"},
    {"windows-874", "windows-874"},
    {"windows-949", "euc-kr"},
    {"x-cp1250", "windows-1250"},
    {"x-cp1251", "windows-1251"},
    {"x-cp1252", "windows-1252"},
    {"x-cp1253", "windows-1253"},
    {"x-cp1254", "windows-1254"},
    {"x-cp1255", "windows-1255"},
    {"x-cp1256", "windows-1256"},
    {"x-cp1257", "windows-1257"},
    {"x-cp1258", "windows-1258"},
    {"x-euc-jp", "euc-jp"},
    {"x-gbk", "gbk"},
    {"x-mac-cyrillic", "x-mac-cyrillic"},
    {"x-mac-roman", "macintosh"},
    {"x-mac-ukrainian", "x-mac-cyrillic"},
    {"x-sjis", "shift_jis"},
    {"x-unicode20utf8", "utf-8"},
    {"x-user-defined", "x-user-defined"},
    {"x-x-big5", "big5"},
};

// The glibc iconv name that decodes each WHATWG encoding as browsers do:
// Big5 with the Hong Kong extensions, GBK by the GB18030 decoder (its
// superset), euc-kr as windows-949; x-user-defined and replacement have
// none.
struct Decoder {
  std::string_view encoding;
  const char* iconv_name;
};

constexpr Decoder kDecoders[] = {
    {"big5", "BIG5-HKSCS"},
    {"euc-jp", "EUC-JP"},
    {"euc-kr", "CP949"},
    {"gb18030", "GB18030"},
    {"gbk", "GB18030"},
    {"ibm866", "IBM866"},
    {"iso-2022-jp", "ISO-2022-JP"},
    {"iso-8859-10", "ISO-8859-10"},
    {"iso-8859-13", "ISO-8859-13"},
    {"iso-8859-14", "ISO-8859-14"},
    {"iso-8859-15", "ISO-8859-15"},
    {"iso-8859-16", "ISO-8859-16"},
    {"iso-8859-2", "ISO-8859-2"},
    {"iso-8859-3", "ISO-8859-3"},
    {"iso-8859-4", "ISO-8859-4"},
    {"iso-8859-5", "ISO-8859-5"},
    {"iso-8859-6", "ISO-8859-6"},
    {"iso-8859-7", "ISO-8859-7"},
    {"iso-8859-8", "ISO-8859-8"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"koi8-r", "KOI8-R"},
    {"koi8-u", "KOI8-U"},
    {"macintosh", "MACINTOSH"},
    {"shift_jis", "WINDOWS-31J"},
    {"utf-16be", "UTF-16BE"},
    {"utf-16le", "UTF-16LE"},
    {"windows-1250", "CP1250"},
    {"windows-1251", "CP1251"},
    {"windows-1252", "CP1252"},
    {"windows-1253", "CP1253"},
    {"windows-1254", "CP1254"},
    {"windows-1255", "CP1255"},
    {"windows-1256", "CP1256"},
    {"windows-1257", "CP1257"},
    {"windows-1258", "CP1258"},
    {"windows-874", "CP874"},
    {"x-mac-cyrillic", "MAC-CYRILLIC"},
};

bool is_ascii(std::string_view body) {
  return std::all_of(body.begin(), body.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// `body` converted to UTF-8 by iconv, each unconvertible byte becoming
// U+FFFD; nullopt when iconv cannot open the converter.
std::optional<std::string> convert(std::string_view body, const char* from) {
  iconv_t cd = iconv_open("UTF-8", from);
  // (iconv_t)-1 is iconv_open's documented error value.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(body.size() * 3 / 2);
  char* in = const_cast<char*>(body.data());
  std::size_t in_left = body.size();
  char buffer[4096];
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
    if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) {
      // EILSEQ or EINVAL (truncated at the end): skip one byte.
      append_utf8(out, 0xFFFD);
      ++in;
      --in_left;
    }
  }
  iconv_close(cd);
  return out;
}

// Reads `body` as `label` declares.
DecodedBody decode_as(std::string_view body, std::string_view label, bool certain) {
  DecodedBody decoded;
  decoded.certain = certain;
  const std::optional<std::string_view> encoding = encoding_for_label(label);
  if (encoding == "utf-8") return decoded;
  const bool wide = encoding == "utf-16le" || encoding == "utf-16be";
  // A page that says it is in an ASCII-based legacy encoding but is valid
  // UTF-8 is read as UTF-8: its text in the declared encoding would be
  // noise to its visitors too, and ASCII reads the same either way.
  if (!wide && first_invalid_utf8(body) == std::string_view::npos) {
    if (!encoding || encoding == "replacement" || encoding == "x-user-defined") {
      if (!is_ascii(body)) decoded.undecodable = trim_html_space(label).substr(0, kMaxLabel);
    }
    return decoded;
  }
  const auto* decoder = encoding ? std::find_if(std::begin(kDecoders), std::end(kDecoders),
                                                [&](const Decoder& d) { return d.encoding == *encoding; })
                                 : std::end(kDecoders);
  if (decoder != std::end(kDecoders)) decoded.utf8 = convert(body, decoder->iconv_name);
  if (!decoded.utf8) decoded.undecodable = trim_html_space(label).substr(0, kMaxLabel);
  return decoded;
}

}  // namespace

std::optional<std::string_view> encoding_for_label(std::string_view label) {
  label = trim_html_space(label);
  char folded[32];
  if (label.empty() || label.size() > sizeof folded) return std::nullopt;
  std::transform(label.begin(), label.end(), folded, ascii_lower);
  const std::string_view key(folded, label.size());
  const auto* it = std::lower_bound(std::begin(kLabels), std::end(kLabels), key,
                                    [](const Label& l, std::string_view k) { return l.label < k; });
  if (it == std::end(kLabels) || it->label != key) return std::nullopt;
  return it->encoding;
}

std::string_view content_type_charset(std::string_view content_type) {
  for (std::size_t semicolon = content_type.find(';'); semicolon != std::string_view::npos;
       semicolon = content_type.find(';', semicolon + 1)) {
    std::string_view parameter = trim_html_space(content_type.substr(semicolon + 1));
    if (parameter.size() < 8) continue;
    bool is_charset = true;
    for (std::size_t i = 0; i < 8; ++i) is_charset = is_charset && ascii_lower(parameter[i]) == "charset="[i];
    if (!is_charset) continue;
    parameter.remove_prefix(8);
    if (!parameter.empty() && (parameter.front() == '"' || parameter.front() == '\'')) {
      const char quote = parameter.front();
      parameter.remove_prefix(1);
      return trim_html_space(parameter.substr(0, parameter.find(quote)));
    }
    return trim_html_space(parameter.substr(0, parameter.find(';')));
  }
  return {};
}

DecodedBody decode_by_header(std::string_view body, std::string_view content_type) {
  if (body.starts_with("\xEF\xBB\xBF")) {
    DecodedBody decoded;
    decoded.certain = true;
    decoded.skip = 3;
    return decoded;
  }
  if (body.starts_with("\xFF\xFE")) return decode_as(body.substr(2), "utf-16le", true);
  if (body.starts_with("\xFE\xFF")) return decode_as(body.substr(2), "utf-16be", true);
  const std::string_view label = content_type_charset(content_type);
  if (label.empty()) return {};
  return decode_as(body, label, true);
}

DecodedBody decode_by_meta(std::string_view body, std::string_view label) {
  const std::optional<std::string_view> encoding = encoding_for_label(label);
  // HTML's prescan: a page found to say it is UTF-16 was readable as
  // ASCII, so it is not; x-user-defined there means windows-1252.
  if (encoding == "utf-16le" || encoding == "utf-16be") return decode_as(body, "utf-8", false);
  if (encoding == "x-user-defined") return decode_as(body, "windows-1252", false);
  return decode_as(body, label, false);
}

}  // namespace netwarden::content_detail
