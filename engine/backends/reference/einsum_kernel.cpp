// Einsum: any equation of letters and one '...' per term, explicit or implicit output, repeated
// labels (diagonals) and broadcast ellipsis dimensions. One loop over every label combination:
// the plain definition, not a fast path.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <map>

namespace lb::backends::reference {

namespace {

constexpr int kEllipsis = -1;
constexpr int kLetters = 52; // A-Z, a-z (ASCII order); ellipsis dimension e is label kLetters + e

// A term's labels: letters as 0-51, kEllipsis where '...' stands.
std::vector<int> parseTerm(const std::string& term, const NodeAttrs& a) {
    std::vector<int> labels;
    bool ellipsis = false;
    for (size_t i = 0; i < term.size(); ++i) {
        const char ch = term[i];
        if (ch == '.') {
            if (term.compare(i, 3, "...") != 0 || ellipsis)
                a.fail("equation term '", term, "' has a malformed or second '...'");
            ellipsis = true;
            labels.push_back(kEllipsis);
            i += 2;
        } else if (ch >= 'A' && ch <= 'Z') {
            labels.push_back(ch - 'A');
        } else if (ch >= 'a' && ch <= 'z') {
            labels.push_back(26 + (ch - 'a'));
        } else {
            a.fail("equation term '", term, "' has the character '", ch, "'");
        }
    }
    return labels;
}

struct Equation {
    std::vector<std::vector<int>> inputs;
    std::vector<int> output;
    bool explicitOutput = false;
};

Equation parseEquation(const NodeAttrs& a, size_t inputCount) {
    std::string eq;
    for (char c : a.getString("equation", ""))
        if (c != ' ')
            eq.push_back(c);
    if (eq.empty())
        a.fail("attribute 'equation' is required");
    Equation e;
    const size_t arrow = eq.find("->");
    const std::string lhs = eq.substr(0, arrow);
    if (arrow != std::string::npos) {
        e.explicitOutput = true;
        e.output = parseTerm(eq.substr(arrow + 2), a);
    }
    size_t start = 0;
    while (true) {
        const size_t comma = lhs.find(',', start);
        e.inputs.push_back(parseTerm(lhs.substr(start, comma - start), a));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    if (e.inputs.size() != inputCount)
        a.fail("equation '", eq, "' has ", e.inputs.size(), " terms for ", inputCount, " inputs");
    return e;
}

} // namespace

std::unique_ptr<Kernel> makeEinsum(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1 << 10);
    const Equation eq = parseEquation(a, info.node.inputs.size());
    return makeKernel([eq](KernelContext& ctx) {
        const size_t n = ctx.inputCount();
        const DataType type = ctx.in(0).dtype();
        // Expand each term's '...' into labels kLetters + e, right-aligned across the inputs.
        int64_t ellipsisRank = 0;
        std::vector<std::vector<int>> terms(n);
        for (size_t i = 0; i < n; ++i) {
            const Tensor& t = ctx.in(i);
            if (t.dtype() != type)
                fail("input ", i, " is ", dtypeName(t.dtype()), ", input 0 ", dtypeName(type));
            const bool hasEllipsis =
                std::count(eq.inputs[i].begin(), eq.inputs[i].end(), kEllipsis) > 0;
            const int64_t letters = static_cast<int64_t>(eq.inputs[i].size()) - hasEllipsis;
            if (t.rank() < letters || (!hasEllipsis && t.rank() != letters))
                fail("input ", i, " ", shapeToString(t.shape()), " does not have the ", letters,
                     " dimensions its term names");
            ellipsisRank = std::max(ellipsisRank, t.rank() - letters);
        }
        std::map<int, int64_t> sizes;
        for (size_t i = 0; i < n; ++i) {
            const Tensor& t = ctx.in(i);
            const int64_t letters = static_cast<int64_t>(std::count_if(
                eq.inputs[i].begin(), eq.inputs[i].end(), [](int l) { return l != kEllipsis; }));
            const int64_t own = t.rank() - letters;
            for (int l : eq.inputs[i])
                if (l == kEllipsis)
                    for (int64_t k = 0; k < own; ++k)
                        terms[i].push_back(kLetters + static_cast<int>(ellipsisRank - own + k));
                else
                    terms[i].push_back(l);
            for (size_t d = 0; d < terms[i].size(); ++d) {
                const int l = terms[i][d];
                const int64_t s = t.shape()[d];
                auto [it, fresh] = sizes.emplace(l, s);
                if (!fresh && it->second != s) {
                    if (l >= kLetters && (s == 1 || it->second == 1))
                        it->second = std::max(it->second, s);
                    else
                        fail("label dimension sizes disagree: ", it->second, " and ", s, " (input ",
                             i, ")");
                }
            }
        }
        std::vector<int> out;
        if (eq.explicitOutput) {
            for (int l : eq.output)
                if (l == kEllipsis)
                    for (int64_t k = 0; k < ellipsisRank; ++k)
                        out.push_back(kLetters + static_cast<int>(k));
                else if (!sizes.count(l))
                    fail("output label ", l, " does not appear in any input");
                else
                    out.push_back(l);
        } else {
            for (int64_t k = 0; k < ellipsisRank; ++k)
                out.push_back(kLetters + static_cast<int>(k));
            std::map<int, int> uses;
            for (const auto& term : terms)
                for (int l : term)
                    if (l < kLetters)
                        ++uses[l];
            for (const auto& [l, count] : uses) // alphabetical, as numpy: A-Z before a-z
                if (count == 1)
                    out.push_back(l);
        }
        std::vector<int> loop = out;
        for (const auto& [l, s] : sizes)
            if (std::find(out.begin(), out.end(), l) == out.end())
                loop.push_back(l);
        Shape shape;
        for (int l : out)
            shape.push_back(sizes[l]);
        // Per input and loop position, the element stride (0 along a broadcast dimension).
        std::vector<std::vector<int64_t>> strides(n, std::vector<int64_t>(loop.size(), 0));
        for (size_t i = 0; i < n; ++i) {
            int64_t stride = 1;
            for (size_t d = terms[i].size(); d-- > 0;) {
                const int64_t s = ctx.in(i).shape()[d];
                const size_t pos = std::find(loop.begin(), loop.end(), terms[i][d]) - loop.begin();
                if (s != 1)
                    strides[i][pos] += stride;
                stride *= s;
            }
        }
        std::vector<int64_t> extent;
        for (int l : loop)
            extent.push_back(sizes[l]);
        std::vector<std::vector<double>> data(n);
        for (size_t i = 0; i < n; ++i) {
            const Tensor& t = ctx.in(i);
            data[i].resize(static_cast<size_t>(t.numel()));
            for (int64_t k = 0; k < t.numel(); ++k)
                data[i][k] = t.valueAsDouble(k);
        }
        const int64_t outN = product(shape), total = product(extent);
        std::vector<double> acc(static_cast<size_t>(outN), 0.0);
        std::vector<int64_t> idx(loop.size(), 0);
        const int64_t sumPart = outN ? total / outN : 0;
        for (int64_t flat = 0; flat < total; ++flat) {
            double prod = 1.0;
            for (size_t i = 0; i < n; ++i) {
                int64_t off = 0;
                for (size_t d = 0; d < loop.size(); ++d)
                    off += idx[d] * strides[i][d];
                prod *= data[i][off];
            }
            acc[flat / sumPart] += prod;
            for (size_t d = loop.size(); d-- > 0;) {
                if (++idx[d] < extent[d])
                    break;
                idx[d] = 0;
            }
        }
        Tensor& y = ctx.output(0, type, shape);
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            for (int64_t i = 0; i < outN; ++i)
                y.data<T>()[i] = static_cast<T>(acc[i]);
        });
    });
}

} // namespace lb::backends::reference
