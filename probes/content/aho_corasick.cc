#include "probes/content/aho_corasick.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace netwarden::content_detail {
namespace {

constexpr std::uint32_t kRoot = 0;
constexpr std::uint32_t kNone = UINT32_MAX;
// Past this many edges a node's labels are binary-searched; below it a
// linear scan over a few bytes is faster.
constexpr std::uint32_t kLinearEdges = 8;

}  // namespace

// The trie laid out flat in breadth-first order: node 0 is the root, whose
// transitions are a dense table (every match attempt passes through it);
// every other node's edges are a sorted run of (label, target) pairs.
struct AhoCorasick::Automaton {
  // What one step needs of a node, kept together to touch one cache line.
  struct Node {
    std::uint32_t edge_begin;
    std::uint32_t edge_end;
    std::uint32_t fail;
    // The node itself if a pattern ends there, else the nearest node on
    // its failure chain where one does, else kNone.
    std::uint32_t match;
  };
  // Indexed by the text's byte: the root is where most steps start and end.
  std::array<std::uint32_t, 256> root{};
  std::vector<Node> nodes;
  std::vector<unsigned char> edge_label;
  std::vector<std::uint32_t> edge_target;
  std::vector<std::uint32_t> output_begin;  // per node, plus one past the end
  std::vector<std::uint32_t> outputs;       // pattern ids

  // One transition from a node other than the root.
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

// The patterns' trie, edges labelled with bytes; node 0 is the root.
std::vector<BuildNode> build_trie(const std::vector<std::string>& patterns) {
  std::vector<BuildNode> trie(1);
  for (std::uint32_t id = 0; id < patterns.size(); ++id) {
    if (patterns[id].empty()) continue;
    std::uint32_t node = kRoot;
    for (char raw : patterns[id]) {
      const auto c = static_cast<unsigned char>(raw);
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
void flatten(const std::vector<BuildNode>& trie, const Links& l, AhoCorasick::Automaton& a) {
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
    const std::uint32_t child = child_of(trie, kRoot, static_cast<unsigned char>(c));
    a.root[c] = child == kNone ? kRoot : l.new_id[child];
  }
}

}  // namespace

AhoCorasick::AhoCorasick(const std::vector<std::string>& patterns) {
  auto a = std::make_unique<Automaton>();
  const std::vector<BuildNode> trie = build_trie(patterns);
  flatten(trie, link_failures(trie), *a);
  automaton_ = std::move(a);
}

AhoCorasick::~AhoCorasick() = default;
AhoCorasick::AhoCorasick(AhoCorasick&&) noexcept = default;
AhoCorasick& AhoCorasick::operator=(AhoCorasick&&) noexcept = default;

void AhoCorasick::find_all(std::string_view text, std::vector<Match>& out) const {
  const Automaton& a = *automaton_;
  if (a.outputs.empty()) return;
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = begin;
  const auto* const end = p + text.size();
  std::uint32_t node = kRoot;
  while (p < end) {
    if (node == kRoot) {
      // Most bytes of most texts start no pattern: skip them four at a time.
      while (end - p >= 4 && (a.root[p[0]] | a.root[p[1]] | a.root[p[2]] | a.root[p[3]]) == kRoot) p += 4;
      while (p < end && (node = a.root[*p]) == kRoot) ++p;
      if (p == end) break;
      ++p;
    } else {
      node = a.step(node, *p++);
    }
    for (std::uint32_t m = a.nodes[node].match; m != kNone; m = a.nodes[a.nodes[m].fail].match) {
      for (std::uint32_t o = a.output_begin[m]; o < a.output_begin[m + 1]; ++o) {
        out.push_back({a.outputs[o], static_cast<std::uint32_t>(p - begin)});
      }
    }
  }
}

}  // namespace netwarden::content_detail
