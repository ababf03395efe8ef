#include "probes/content/keyword_matcher.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "common/text_file.h"

namespace netwarden {
namespace {

constexpr std::uint32_t kRoot = 0;
constexpr std::uint32_t kNone = UINT32_MAX;
// Past this many edges a node's labels are binary-searched; below it a
// linear scan over a few bytes is faster.
constexpr std::uint32_t kLinearEdges = 8;

constexpr std::array<unsigned char, 256> kFold = [] {
  std::array<unsigned char, 256> fold{};
  for (int c = 0; c < 256; ++c) fold[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return fold;
}();

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\v\f";
  const std::size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace

// The trie laid out flat in breadth-first order: node 0 is the root, whose
// transitions are a dense table (every match attempt passes through it);
// every other node's edges are a sorted run of (label, target) pairs.
struct KeywordMatcher::Automaton {
  // What one step needs of a node, kept together to touch one cache line.
  struct Node {
    std::uint32_t edge_begin;
    std::uint32_t edge_end;
    std::uint32_t fail;
    // The node itself if a keyword ends there, else the nearest node on
    // its failure chain where one does, else kNone.
    std::uint32_t match;
  };
  std::vector<std::string> keywords;  // distinct, sorted: keyword ids follow this order
  // Indexed by the text's byte as it is (case folding built in): the root
  // is where most steps start and end.
  std::array<std::uint32_t, 256> root{};
  std::vector<Node> nodes;
  std::vector<unsigned char> edge_label;
  std::vector<std::uint32_t> edge_target;
  std::vector<std::uint32_t> output_begin;  // per node, plus one past the end
  std::vector<std::uint32_t> outputs;       // keyword ids

  // One transition from a node other than the root; `c` is folded.
  std::uint32_t step(std::uint32_t node, unsigned char c) const {
    for (;;) {
      if (node == kRoot) return root[c];
      const std::uint32_t begin = nodes[node].edge_begin;
      const std::uint32_t end = nodes[node].edge_end;
      if (end - begin <= kLinearEdges) {
        for (std::uint32_t e = begin; e < end; ++e) {
          if (edge_label[e] == c) return edge_target[e];
        }
      } else {
        const unsigned char* first = edge_label.data() + begin;
        const unsigned char* last = edge_label.data() + end;
        const unsigned char* hit = std::lower_bound(first, last, c);
        if (hit != last && *hit == c) return edge_target[begin + static_cast<std::uint32_t>(hit - first)];
      }
      node = nodes[node].fail;
    }
  }
};

namespace {

// The trie while it is being built: children sorted by label.
struct BuildNode {
  std::vector<std::pair<unsigned char, std::uint32_t>> children;
  std::vector<std::uint32_t> outputs;
};

std::uint32_t child_of(const std::vector<BuildNode>& trie, std::uint32_t node, unsigned char c) {
  const auto& children = trie[node].children;
  auto it = std::lower_bound(children.begin(), children.end(), c,
                             [](const auto& edge, unsigned char label) { return edge.first < label; });
  return it != children.end() && it->first == c ? it->second : kNone;
}

// The keywords' trie, edges labelled with folded bytes; node 0 is the root.
std::vector<BuildNode> build_trie(const std::vector<std::string>& keywords) {
  std::vector<BuildNode> trie(1);
  for (std::uint32_t id = 0; id < keywords.size(); ++id) {
    std::uint32_t node = kRoot;
    for (char raw : keywords[id]) {
      const unsigned char c = kFold[static_cast<unsigned char>(raw)];
      std::uint32_t next = child_of(trie, node, c);
      if (next == kNone) {
        next = static_cast<std::uint32_t>(trie.size());
        auto& children = trie[node].children;
        auto at = std::lower_bound(children.begin(), children.end(), c,
                                   [](const auto& edge, unsigned char label) { return edge.first < label; });
        children.insert(at, {c, next});
        trie.emplace_back();
      }
      node = next;
    }
    trie[node].outputs.push_back(id);
  }
  return trie;
}

// Nodes in breadth-first order with their failure links and nearest
// output node, indexed by trie node.
struct Links {
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> new_id;
  std::vector<std::uint32_t> fail;
  std::vector<std::uint32_t> match;
};

// Failure links of a node only refer to shallower nodes, so one pass in
// breadth-first order computes them all.
Links link_failures(const std::vector<BuildNode>& trie) {
  const std::size_t n = trie.size();
  Links l{
      {}, std::vector<std::uint32_t>(n), std::vector<std::uint32_t>(n, kRoot), std::vector<std::uint32_t>(n, kNone)};
  l.order.reserve(n);
  l.order.push_back(kRoot);
  for (std::size_t i = 0; i < l.order.size(); ++i) {
    const std::uint32_t u = l.order[i];
    l.new_id[u] = static_cast<std::uint32_t>(i);
    for (auto [c, v] : trie[u].children) {
      if (u != kRoot) {
        std::uint32_t f = l.fail[u];
        while (f != kRoot && child_of(trie, f, c) == kNone) f = l.fail[f];
        const std::uint32_t target = child_of(trie, f, c);
        l.fail[v] = target == kNone ? kRoot : target;
      }
      l.match[v] = trie[v].outputs.empty() ? l.match[l.fail[v]] : v;
      l.order.push_back(v);
    }
  }
  return l;
}

// Lays the trie out in the automaton's flat arrays, renumbered breadth-first.
void flatten(const std::vector<BuildNode>& trie, const Links& l, KeywordMatcher::Automaton& a) {
  const std::size_t n = trie.size();
  const auto renumber = [&](std::uint32_t old) { return old == kNone ? kNone : l.new_id[old]; };
  a.nodes.reserve(n);
  a.output_begin.reserve(n + 1);
  a.edge_label.reserve(n - 1);
  a.edge_target.reserve(n - 1);
  for (std::uint32_t old : l.order) {
    const auto edge_begin = static_cast<std::uint32_t>(a.edge_label.size());
    a.output_begin.push_back(static_cast<std::uint32_t>(a.outputs.size()));
    for (auto [c, v] : trie[old].children) {
      a.edge_label.push_back(c);
      a.edge_target.push_back(l.new_id[v]);
    }
    a.outputs.insert(a.outputs.end(), trie[old].outputs.begin(), trie[old].outputs.end());
    a.nodes.push_back(
        {edge_begin, static_cast<std::uint32_t>(a.edge_label.size()), renumber(l.fail[old]), renumber(l.match[old])});
  }
  a.output_begin.push_back(static_cast<std::uint32_t>(a.outputs.size()));
  for (int c = 0; c < 256; ++c) {
    const std::uint32_t child = child_of(trie, kRoot, kFold[c]);
    a.root[c] = child == kNone ? kRoot : l.new_id[child];
  }
}

std::unique_ptr<const KeywordMatcher::Automaton> build(std::vector<std::string> keywords) {
  auto a = std::make_unique<KeywordMatcher::Automaton>();
  std::sort(keywords.begin(), keywords.end());
  keywords.erase(std::unique(keywords.begin(), keywords.end()), keywords.end());
  std::erase(keywords, std::string());
  a->keywords = std::move(keywords);
  const std::vector<BuildNode> trie = build_trie(a->keywords);
  flatten(trie, link_failures(trie), *a);
  return a;
}

}  // namespace

namespace {

std::vector<std::string> collect(const KeywordMatcher::Automaton& a, const std::vector<bool>& seen, std::size_t found) {
  std::vector<std::string> result;
  result.reserve(found);
  for (std::size_t id = 0; id < seen.size(); ++id) {
    if (seen[id]) result.push_back(a.keywords[id]);
  }
  return result;
}

}  // namespace

KeywordMatcher::KeywordMatcher(std::unique_ptr<const Automaton> automaton) : automaton_(std::move(automaton)) {}
KeywordMatcher::~KeywordMatcher() = default;

std::shared_ptr<const KeywordMatcher> KeywordMatcher::from_list(const std::vector<std::string>& keywords) {
  return std::make_shared<const KeywordMatcher>(build(keywords));
}

Result<std::shared_ptr<const KeywordMatcher>> KeywordMatcher::load_file(const std::string& path) {
  Result<std::string> content = read_text_file(path);
  if (!content) return fail("cannot read '" + path + "': " + content.error().message);
  std::string_view text = *content;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const std::size_t line = first_invalid_utf8_line(text)) {
    return fail(path + ":" + std::to_string(line) + ": not valid UTF-8");
  }
  std::vector<std::string> keywords;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!line.empty() && line.front() != '#') keywords.emplace_back(line);
  }
  return std::make_shared<const KeywordMatcher>(build(std::move(keywords)));
}

std::vector<std::string> KeywordMatcher::find(std::string_view text) const {
  const Automaton& a = *automaton_;
  if (a.keywords.empty()) return {};
  std::vector<bool> seen(a.keywords.size());
  std::size_t found = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  std::uint32_t node = kRoot;
  while (p < end) {
    if (node == kRoot) {
      // Most bytes of most texts start no keyword: skip them four at a time.
      while (end - p >= 4 && (a.root[p[0]] | a.root[p[1]] | a.root[p[2]] | a.root[p[3]]) == kRoot) p += 4;
      while (p < end && (node = a.root[*p]) == kRoot) ++p;
      if (p == end) break;
      ++p;
    } else {
      node = a.step(node, kFold[*p++]);
    }
    for (std::uint32_t m = a.nodes[node].match; m != kNone; m = a.nodes[a.nodes[m].fail].match) {
      for (std::uint32_t o = a.output_begin[m]; o < a.output_begin[m + 1]; ++o) {
        if (!seen[a.outputs[o]]) {
          seen[a.outputs[o]] = true;
          ++found;
        }
      }
    }
  }
  return collect(a, seen, found);
}

std::size_t KeywordMatcher::size() const { return automaton_->keywords.size(); }

}  // namespace netwarden
