// Executor mechanics (partitioning, memory plan, aliasing, error wrapping, input checks) with a
// tiny backend defined here; kernels themselves are tested against the reference backend and
// the ONNX conformance data elsewhere.
#include "core/error.h"
#include "runtime/memory_planner.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <random>

using namespace lb;

namespace {

// "AddOne": y = x + 1 (float32). "View": y aliases x. "Boom": throws at run time.
class AddOneKernel : public runtime::Kernel {
public:
    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        for (int64_t i = 0; i < x.numel(); ++i)
            y.data<float>()[i] = x.data<float>()[i] + 1.0f;
    }
};
class ViewKernel : public runtime::Kernel {
public:
    void run(runtime::KernelContext& ctx) override { ctx.setAlias(0, ctx.in(0)); }
    std::optional<size_t> aliasedInput(size_t) const override { return 0; }
};
class BoomKernel : public runtime::Kernel {
public:
    void run(runtime::KernelContext&) override { fail("expected a positive value"); }
};

class TinyBackend : public runtime::Backend {
public:
    explicit TinyBackend(std::string name, std::vector<std::string> ops)
        : m_name(std::move(name)), m_ops(std::move(ops)) {}
    std::string name() const override { return m_name; }
    runtime::Claim capability(const ir::Graph&, const ir::Node& n) const override {
        return std::find(m_ops.begin(), m_ops.end(), n.opType) != m_ops.end()
                   ? runtime::Claim::claimed()
                   : runtime::Claim::declined(runtime::Decline::Op, "op not implemented");
    }
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override {
        if (info.node.opType == "AddOne")
            return std::make_unique<AddOneKernel>();
        if (info.node.opType == "View")
            return std::make_unique<ViewKernel>();
        return std::make_unique<BoomKernel>();
    }

private:
    std::string m_name;
    std::vector<std::string> m_ops;
};

// x -> op[0] -> t1 -> op[1] -> ... -> y, every value 1x256 float32.
std::shared_ptr<ir::Graph> chain(const std::vector<std::string>& ops) {
    auto g = std::make_shared<ir::Graph>();
    g->name = "chain";
    ir::ValueId prev = g->addValue("x");
    g->inputs().push_back(prev);
    auto setInfo = [&](ir::ValueId v) {
        g->value(v).dtype = DataType::Float32;
        g->value(v).shape = symbolicShape({1, 256});
    };
    setInfo(prev);
    for (size_t k = 0; k < ops.size(); ++k) {
        ir::ValueId out = g->addValue(k + 1 == ops.size() ? "y" : "t" + std::to_string(k));
        setInfo(out);
        ir::Node n;
        n.name = "n" + std::to_string(k);
        n.opType = ops[k];
        n.inputs = {prev};
        n.outputs = {out};
        g->addNode(n);
        prev = out;
    }
    g->outputs().push_back(prev);
    return g;
}

std::map<std::string, Tensor> ones() {
    Tensor x(DataType::Float32, {1, 256});
    for (auto& v : x.span<float>())
        v = 1.0f;
    return {{"x", x}};
}

auto tiny() {
    return std::make_shared<TinyBackend>("tiny",
                                         std::vector<std::string>{"AddOne", "View", "Boom"});
}

} // namespace

TEST_CASE("memory plan never overlaps buffers that live at the same time", "[runtime][memory]") {
    std::mt19937 rng(7);
    std::vector<runtime::BufferRequest> requests;
    for (int k = 0; k < 300; ++k) {
        int32_t first = static_cast<int32_t>(rng() % 100);
        requests.push_back({static_cast<int64_t>(1 + rng() % 5000), first,
                            first + static_cast<int32_t>(rng() % 10)});
    }
    const auto plan = runtime::planMemory(requests);
    REQUIRE(plan.offsets.size() == requests.size());
    for (size_t a = 0; a < requests.size(); ++a) {
        REQUIRE(plan.offsets[a] % 64 == 0);
        REQUIRE(plan.offsets[a] + requests[a].bytes <= plan.arenaBytes);
        for (size_t b = a + 1; b < requests.size(); ++b) {
            const bool timeOverlap =
                !(requests[a].last < requests[b].first || requests[b].last < requests[a].first);
            const bool spaceOverlap = plan.offsets[a] < plan.offsets[b] + requests[b].bytes &&
                                      plan.offsets[b] < plan.offsets[a] + requests[a].bytes;
            INFO("requests " << a << " and " << b);
            REQUIRE_FALSE((timeOverlap && spaceOverlap));
        }
    }
    CHECK(plan.arenaBytes < plan.naiveBytes);
}

TEST_CASE("a chain runs, reuses activation memory and returns outputs that survive the next run",
          "[runtime]") {
    runtime::Session session(chain(std::vector<std::string>(10, "AddOne")), {tiny()});
    // Nine intermediates of 1 KiB each; a chain needs only two live at once.
    CHECK(session.memoryStats().naiveBytes == 9 * 1024);
    CHECK(session.memoryStats().plannedBytes == 2 * 1024);
    auto first = session.run(ones());
    REQUIRE(first.size() == 1);
    CHECK(first[0].data<float>()[0] == 11.0f);
    auto second = session.run(ones());
    CHECK(second[0].data<float>()[255] == 11.0f);
    CHECK(first[0].rawData() != second[0].rawData());
}

TEST_CASE("aliasing kernels keep their input buffer alive", "[runtime]") {
    // AddOne -> View -> AddOne -> AddOne: the view must not be overwritten by the last AddOne's
    // output while the middle AddOne still reads it.
    runtime::Session session(chain({"AddOne", "View", "AddOne", "AddOne", "AddOne"}), {tiny()});
    auto out = session.run(ones());
    CHECK(out[0].data<float>()[17] == 5.0f);
}

TEST_CASE("nodes fall back to the next backend and the reason is kept", "[runtime]") {
    auto onlyAdd = std::make_shared<TinyBackend>("fast", std::vector<std::string>{"AddOne"});
    runtime::Session session(chain({"AddOne", "View", "AddOne"}), {onlyAdd, tiny()});
    REQUIRE(session.steps().size() == 3);
    CHECK(session.steps()[0].backend == "fast");
    CHECK(session.steps()[1].backend == "tiny");
    CHECK(session.steps()[1].fallbackCode == "unsupported-op");
    CHECK(session.steps()[1].fallbackReason == "fast: op not implemented");
}

TEST_CASE("a node no backend runs is reported at creation with its name and op", "[runtime]") {
    auto g = chain({"AddOne", "Mystery"});
    auto onlyAdd = std::make_shared<TinyBackend>("fast", std::vector<std::string>{"AddOne"});
    REQUIRE_THROWS_WITH(runtime::Session(g, {onlyAdd}), Catch::Contains("node 'n1' (Mystery)") &&
                                                            Catch::Contains("op not implemented"));
}

TEST_CASE("kernel errors name the node, bad inputs name the input", "[runtime]") {
    runtime::Session session(chain({"AddOne", "Boom"}), {tiny()});
    REQUIRE_THROWS_WITH(session.run(ones()), "node 'n1' (Boom): expected a positive value");
    REQUIRE_THROWS_WITH(session.run({}), Catch::Contains("input 'x' is missing"));
    REQUIRE_THROWS_WITH(session.run({{"x", Tensor(DataType::Float32, {1, 3})}}),
                        Catch::Contains("input 'x': expected shape 1x256, got 1x3"));
    REQUIRE_THROWS_WITH(session.run({{"x", Tensor(DataType::Int64, {1, 256})}}),
                        Catch::Contains("expected float32, got int64"));
}

TEST_CASE("a run can be cancelled", "[runtime]") {
    runtime::Session session(chain({"AddOne", "AddOne"}), {tiny()});
    TaskContext task;
    task.token.cancel();
    REQUIRE_THROWS_AS(session.run(ones(), nullptr, task), Cancelled);
}
