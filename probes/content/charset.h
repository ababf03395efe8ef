// The encoding of a page's bytes, found as browsers find it (the WHATWG
// Encoding and HTML standards): a byte order mark first, then the charset
// of the HTTP Content-Type header, then the page's own <meta> declaration;
// labels mapped to encodings as browsers map them (gb2312 and gbk read as
// GB18030, big5 as Big5-HKSCS, latin1 and us-ascii as windows-1252 ...).
// Older campus sites still serve GB2312, GBK and Big5; a page whose
// encoding cannot be decoded is reported, never read as something else
// in silence.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netwarden::content_detail {

// The WHATWG name of the encoding `label` stands for ("gbk", "big5",
// "windows-1252", "utf-16le", "replacement" ...), leading and trailing
// whitespace and case ignored; nullopt for a label browsers do not know.
std::optional<std::string_view> encoding_for_label(std::string_view label);

// The charset parameter of a Content-Type header value ("text/html;
// charset=gbk" -> "gbk"), quotes removed; "" when there is none.
std::string_view content_type_charset(std::string_view content_type);

// How a body reads, and what it says when read that way.
struct DecodedBody {
  // The body converted to UTF-8, when it needed converting.
  std::optional<std::string> utf8;
  // Where to read the body as it came (after a UTF-8 byte order mark)
  // when `utf8` is empty.
  std::size_t skip = 0;
  // Whether the encoding was certain (a byte order mark or the header): a
  // <meta> declaration then does not count.
  bool certain = false;
  // A declared label that cannot be decoded, when the body has bytes
  // outside ASCII (ASCII reads the same whatever the label); "" otherwise.
  std::string undecodable;

  std::string_view text(std::string_view body) const { return utf8 ? std::string_view(*utf8) : body.substr(skip); }
};

// Reads `body` by its byte order mark or, without one, by the header's
// charset; `certain` is false when neither decides and the page's <meta>
// may (decode_by_meta).
DecodedBody decode_by_header(std::string_view body, std::string_view content_type);

// Reads `body` by the label of its <meta> declaration (where "utf-16"
// means UTF-8, since the page could not have been read to find it
// otherwise).
DecodedBody decode_by_meta(std::string_view body, std::string_view label);

}  // namespace netwarden::content_detail
