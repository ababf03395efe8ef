#include "probes/content/literal_set.h"

#include <hs/hs.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <new>

namespace netwarden::content_detail {

// The database and the scratch spaces scans borrow: one per concurrent scan,
// made on demand (cloning the first) and kept for the next.
struct LiteralSet::State {
  hs_database_t* database = nullptr;
  hs_scratch_t* prototype = nullptr;
  std::mutex mutex;
  std::vector<hs_scratch_t*> idle;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    for (hs_scratch_t* s : idle) hs_free_scratch(s);
    hs_free_scratch(prototype);
    hs_free_database(database);
  }

  hs_scratch_t* borrow() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        hs_scratch_t* s = idle.back();
        idle.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) throw std::bad_alloc();
    return s;
  }

  void give_back(hs_scratch_t* s) {
    std::lock_guard lock(mutex);
    idle.push_back(s);
  }
};

namespace {

int on_match(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/, void* context) {
  static_cast<std::vector<LiteralSet::Match>*>(context)->push_back({id, static_cast<std::uint32_t>(to)});
  return 0;  // go on scanning
}

}  // namespace

LiteralSet::LiteralSet(std::shared_ptr<State> state) : state_(std::move(state)) {}

Result<LiteralSet> LiteralSet::compile(const std::vector<std::string>& patterns) {
  if (patterns.empty()) return LiteralSet(nullptr);
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> ids;
  const std::vector<unsigned> flags(patterns.size(), 0);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].data());
    lengths.push_back(patterns[i].size());
    ids.push_back(static_cast<unsigned>(i));
  }
  auto state = std::make_shared<State>();
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &state->database,
                           &error) != HS_SUCCESS) {
    std::string message = "Hyperscan cannot compile the keywords: ";
    message += error != nullptr && error->message != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return fail(message);
  }
  if (hs_alloc_scratch(state->database, &state->prototype) != HS_SUCCESS) {
    return fail("Hyperscan cannot allocate scratch space for the keywords");
  }
  return LiteralSet(std::move(state));
}

void LiteralSet::find_all(std::string_view text, std::vector<Match>& out) const {
  if (!state_) return;
  // Hyperscan takes 32-bit lengths; page texts are far below the bound.
  const auto length = static_cast<unsigned>(std::min<std::size_t>(text.size(), std::numeric_limits<unsigned>::max()));
  const std::size_t first = out.size();
  hs_scratch_t* scratch = state_->borrow();
  hs_scan(state_->database, text.data(), length, 0, scratch, on_match, &out);
  state_->give_back(scratch);
  // Block mode reports by end offset; sorting makes it a promise.
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const Match& a, const Match& b) { return a.end < b.end; });
}

}  // namespace netwarden::content_detail
