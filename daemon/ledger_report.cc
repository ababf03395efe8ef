#include "daemon/ledger_report.h"

#include <string>

namespace netwarden {

namespace {

boost::json::object break_json(const LedgerBreak& b) {
  return {{"seq", b.seq},
          {"problem", to_string(b.problem)},
          {"message", b.message},
          {"recorded_at", b.recorded_at ? boost::json::value(*b.recorded_at) : boost::json::value(nullptr)}};
}

}  // namespace

Result<std::vector<LedgerAnchor>> anchors_from_json(const boost::json::array& anchors) {
  std::vector<LedgerAnchor> out;
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    const auto* a = anchors[i].if_object();
    const auto* seq = a != nullptr ? a->if_contains("seq") : nullptr;
    const auto* hash = a != nullptr ? a->if_contains("hash") : nullptr;
    const auto* source = a != nullptr ? a->if_contains("source") : nullptr;
    if (seq == nullptr || !seq->is_int64() || hash == nullptr || !hash->is_string() || source == nullptr ||
        !source->is_string()) {
      return fail("anchor " + std::to_string(i + 1) + ": needs \"seq\" (integer), \"hash\" and \"source\" (strings)");
    }
    out.push_back({seq->get_int64(), std::string(hash->get_string()), std::string(source->get_string())});
  }
  return out;
}

Result<boost::json::object> ledger_report(Store& store, const std::optional<LedgerKey>& key,
                                          const std::vector<LedgerAnchor>& anchors) {
  auto check = verify_ledger(store, key);
  if (!check) return fail("cannot verify the ledger: " + check.error().message);
  auto anchor_breaks = check_ledger_anchors(store, anchors);
  if (!anchor_breaks) return fail("cannot check the anchors: " + anchor_breaks.error().message);

  boost::json::object out{{"intact", check->ok() && anchor_breaks->empty()},
                          {"entries", check->count},
                          {"last_seq", check->last_seq},
                          {"last_hash", check->last_hash},
                          {"keyed", key.has_value()},
                          {"key_id", key ? key->id : ""},
                          {"current_segment_whole", check->current_whole()}};
  if (check->broken) out["broken"] = break_json(*check->broken);
  boost::json::array breaks;
  for (const auto& b : check->breaks) breaks.push_back(break_json(b));
  out["breaks"] = std::move(breaks);
  boost::json::array segments;
  for (const auto& s : check->segments) {
    segments.push_back(boost::json::object{{"first_seq", s.first_seq},
                                           {"last_seq", s.last_seq},
                                           {"key_id", s.key_id},
                                           {"checked", s.checked},
                                           {"whole", s.whole}});
  }
  out["segments"] = std::move(segments);
  boost::json::array disagreeing;
  for (const auto& b : *anchor_breaks) {
    disagreeing.push_back(boost::json::object{
        {"seq", b.anchor.seq}, {"hash", b.anchor.hash}, {"source", b.anchor.source}, {"message", b.message}});
  }
  out["anchors"] = {{"checked", anchors.size()}, {"breaks", std::move(disagreeing)}};
  return out;
}

}  // namespace netwarden
