// Text ops: StringNormalizer and TfIdfVectorizer.
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <map>
#include <set>

namespace lb::backends::reference {

namespace {

// ASCII letters only: other bytes (UTF-8 sequences included) are kept as they are, so a
// non-ASCII letter keeps its case.
std::string changeCase(std::string s, bool upper) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z' && upper)
            c = static_cast<char>(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z' && !upper)
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::vector<std::string> stringsAttribute(const ir::Node& node, const char* name) {
    const ir::Attribute* attr = node.attribute(name);
    return attr ? attr->strings : std::vector<std::string>{};
}

} // namespace

std::unique_ptr<Kernel> makeStringNormalizer(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const std::string action = a.getString("case_change_action", "NONE");
    if (action != "NONE" && action != "LOWER" && action != "UPPER")
        a.fail("case_change_action should be NONE, LOWER or UPPER, got '", action, "'");
    const bool caseSensitive = a.getInt("is_case_sensitive", 0) != 0;
    std::set<std::string> stopwords;
    for (const std::string& w : stringsAttribute(info.node, "stopwords"))
        stopwords.insert(caseSensitive ? w : changeCase(w, false));
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::String)
            fail("X should be a string tensor, got ", dtypeName(x.dtype()));
        if (x.rank() != 1 && !(x.rank() == 2 && x.shape()[0] == 1))
            fail("X should be [C] or [1, C], it is ", shapeToString(x.shape()));
        std::vector<std::string> kept;
        for (const std::string& s : x.strings()) {
            if (stopwords.count(caseSensitive ? s : changeCase(s, false)))
                continue;
            kept.push_back(action == "NONE" ? s : changeCase(s, action == "UPPER"));
        }
        // Everything filtered out leaves one empty string, as ONNX specifies.
        if (kept.empty())
            kept.emplace_back();
        Shape shape{static_cast<int64_t>(kept.size())};
        if (x.rank() == 2)
            shape.insert(shape.begin(), 1);
        ctx.output(0, DataType::String, shape).strings() = std::move(kept);
    });
}

std::unique_ptr<Kernel> makeTfIdfVectorizer(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const std::string mode = a.getString("mode", "");
    if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
        a.fail("mode should be TF, IDF or TFIDF, got '", mode, "'");
    const int64_t minGram = a.getInt("min_gram_length", 0);
    const int64_t maxGram = a.getInt("max_gram_length", 0);
    const int64_t maxSkip = a.getInt("max_skip_count", 0);
    if (minGram < 1 || maxGram < minGram || maxSkip < 0)
        a.fail("expected 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0, got ",
               minGram, ", ", maxGram, ", ", maxSkip);
    const std::vector<int64_t> counts = a.getInts("ngram_counts");
    const std::vector<int64_t> indexes = a.getInts("ngram_indexes");
    const std::vector<float> weights = a.getFloats("weights");
    // The pool as text tokens, so int64 and string pools are one code path.
    std::vector<std::string> pool = stringsAttribute(info.node, "pool_strings");
    const bool stringPool = !pool.empty();
    if (!stringPool)
        for (int64_t v : a.getInts("pool_int64s"))
            pool.push_back(std::to_string(v));
    if (counts.empty() || indexes.empty())
        a.fail("ngram_counts and ngram_indexes are required");
    // counts[n - 1] is where the n-grams start in the pool.
    std::map<std::vector<std::string>, int64_t> ngramIndex;
    size_t position = 0, ordinal = 0;
    for (size_t level = 0; level < counts.size(); ++level) {
        const size_t n = level + 1;
        const size_t end =
            level + 1 < counts.size() ? static_cast<size_t>(counts[level + 1]) : pool.size();
        if (static_cast<size_t>(counts[level]) != position || end < position ||
            (end - position) % n != 0 || end > pool.size())
            a.fail("ngram_counts ", shapeToString(counts), " do not split a pool of ", pool.size(),
                   " tokens into n-grams");
        for (; position < end; position += n, ++ordinal) {
            if (ordinal >= indexes.size())
                a.fail("ngram_indexes has ", indexes.size(), " entries, the pool has more n-grams");
            ngramIndex[{pool.begin() + static_cast<std::ptrdiff_t>(position),
                        pool.begin() + static_cast<std::ptrdiff_t>(position + n)}] =
                indexes[ordinal];
        }
    }
    const int64_t width = *std::max_element(indexes.begin(), indexes.end()) + 1;
    // Weights are read by output index (with the usual identity ngram_indexes, the pool order).
    if (!weights.empty() && static_cast<int64_t>(weights.size()) < width)
        a.fail("weights has ", weights.size(), " values for ", width, " outputs");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const bool textIn = x.dtype() == DataType::String;
        if (textIn != stringPool)
            fail("X is ", dtypeName(x.dtype()), " but the pool holds ",
                 stringPool ? "strings" : "integers");
        if (x.rank() != 1 && x.rank() != 2)
            fail("X should be [C] or [N, C], it is ", shapeToString(x.shape()));
        const int64_t rows = x.rank() == 2 ? x.shape()[0] : 1;
        const int64_t length = x.shape().back();
        const std::vector<int64_t> values = textIn ? std::vector<int64_t>{} : toInt64s(x, "X");
        Shape shape{width};
        if (x.rank() == 2)
            shape.insert(shape.begin(), rows);
        Tensor& y = ctx.output(0, DataType::Float32, shape);
        std::fill_n(y.data<float>(), y.numel(), 0.0f);
        for (int64_t r = 0; r < rows; ++r) {
            const auto token = [&](int64_t i) {
                return textIn ? x.strings()[r * length + i]
                              : std::to_string(values[r * length + i]);
            };
            float* out = y.data<float>() + r * width;
            for (int64_t n = minGram; n <= maxGram; ++n)
                // Unigrams have no gaps: counting them once per skip would count them again.
                for (int64_t skip = 0; skip <= (n == 1 ? 0 : maxSkip); ++skip)
                    for (int64_t start = 0; start + (n - 1) * (skip + 1) < length; ++start) {
                        std::vector<std::string> gram;
                        for (int64_t k = 0; k < n; ++k)
                            gram.push_back(token(start + k * (skip + 1)));
                        if (auto it = ngramIndex.find(gram); it != ngramIndex.end())
                            out[it->second] += 1.0f;
                    }
            for (int64_t i = 0; i < width; ++i) {
                const float w = weights.empty() ? 1.0f : weights[static_cast<size_t>(i)];
                if (mode == "IDF")
                    out[i] = out[i] > 0.0f ? w : 0.0f;
                else if (mode == "TFIDF")
                    out[i] *= w;
            }
        }
    });
}

} // namespace lb::backends::reference
