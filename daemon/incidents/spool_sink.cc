#include "daemon/incidents/spool_sink.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace netwarden {

SpoolSink::SpoolSink(std::string directory, const Config& config) : directory_(std::move(directory)), config_(config) {}

void SpoolSink::deliver(const Notification& n, const Incident& incident) {
  boost::json::array reasons;
  for (const auto& r : n.reasons) reasons.push_back(boost::json::string(r.text()));
  boost::json::object out{{"incident", n.incident},
                          {"kind", to_string(incident.kind)},
                          {"target", incident.target},
                          {"severity", to_string(incident.severity)},
                          {"started_at", format_utc(incident.started_at)},
                          {"person", n.person},
                          {"reasons", std::move(reasons)},
                          {"late", n.late}};
  if (auto p = config_.people.find(n.person); p != config_.people.end()) {
    out["name"] = p->second.name;
    out["email"] = p->second.email;
  }
  // Unique across restarts: the time orders the files, the counter breaks ties.
  const std::string name = std::to_string(to_unix_ms(now_utc())) + "-" + std::to_string(written_++) + "-incident" +
                           std::to_string(n.incident) + "-" + n.person + ".json";
  const std::string path = directory_ + "/" + name;
  const std::string partial = directory_ + "/." + name + ".tmp";
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << boost::json::serialize(out) << "\n";
    file.flush();
    if (!file) {
      spdlog::error("spool: cannot write {}: notification for {} about incident {} is lost", partial, n.person,
                    n.incident);
      return;
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    spdlog::error("spool: cannot rename {} to {}", partial, path);
  }
}

}  // namespace netwarden
