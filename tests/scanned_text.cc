// What the page scanner sees, for tests/html5_agreement.py: for each file
// named, the visible text ContentAnalyzer takes of it (decoded by its byte
// order mark or <meta>, as a body without a Content-Type charset is),
// followed by a NUL. With --normalise, reads NUL-terminated texts on stdin
// and writes each in the scanner's normal form (text_normaliser.h), so
// that another parser's text is compared on the same terms.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "probes/content/content_digest.h"
#include "probes/content/text_normaliser.h"

int main(int argc, char** argv) {
  using netwarden::ContentAnalyzer;
  if (argc == 2 && std::string_view(argv[1]) == "--normalise") {
    for (std::string text; std::getline(std::cin, text, '\0');) {
      std::cout << netwarden::content_detail::normalised(text) << '\0';
    }
    return 0;
  }
  const auto analyzer = ContentAnalyzer::create({});
  if (!analyzer) return 1;
  for (int i = 1; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::cerr << "scanned_text: cannot read " << argv[i] << '\n';
      return 1;
    }
    const std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::cout << analyzer->analyze(body, "http://localhost/").text << '\0';
  }
  return 0;
}
