#include "tests/support/received_mail.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {

namespace {

// Reads each file named on the command line; prints a JSON array.
const char* kDecode = R"py(
import email, json, sys
from email import policy
out = []
for path in sys.argv[1:]:
    m = email.message_from_binary_file(open(path, 'rb'), policy=policy.default)
    out.append({
        'to': m['to'].addresses[0].addr_spec, 'subject': str(m['subject']),
        'incident': str(m['x-netwarden-incident'] or ''),
        'body': m.get_content().replace('\r\n', '\n'),
        'defects': len(m.defects) + sum(len(m[h].defects) for h in m.keys()),
    })
print(json.dumps(out))
)py";

std::string text(const boost::json::object& o, const char* key) { return std::string(o.at(key).as_string()); }

}  // namespace

std::vector<ReceivedMail> read_mails(const std::vector<std::string>& raw) {
  TempDir dir("netwarden-received");
  std::vector<std::string> argv = {"/usr/bin/python3", "-c", kDecode};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    argv.push_back(dir.file(std::to_string(i) + ".eml"));
    std::ofstream(argv.back(), std::ios::binary) << raw[i];
  }
  const Finished decoded = run_program(argv);
  std::vector<ReceivedMail> mails(raw.size());
  EXPECT_EQ(decoded.exit_code, 0) << decoded.err;
  if (decoded.exit_code != 0) return mails;
  const boost::json::array parsed = boost::json::parse(decoded.out).as_array();
  for (std::size_t i = 0; i < mails.size(); ++i) {
    const boost::json::object& m = parsed.at(i).as_object();
    mails[i] = {text(m, "to"), text(m, "subject"), text(m, "incident"), text(m, "body"),
                static_cast<int>(m.at("defects").as_int64())};
  }
  return mails;
}

}  // namespace netwarden::test
