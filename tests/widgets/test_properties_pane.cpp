#include "widget_test_graphs.h"
#include "widgets/properties_pane.h"

#include <QCoreApplication>
#include <QGroupBox>
#include <QLabel>
#include <QTreeWidget>
#include <catch2/catch.hpp>
#include <qcustomplot.h>

using lb::widgets::PropertiesPane;

namespace {
QTreeWidgetItem* section(QTreeWidget* tree, const QString& title) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == title)
            return tree->topLevelItem(i);
    return nullptr;
}

std::vector<std::pair<QString, QString>> rows(QTreeWidgetItem* item) {
    std::vector<std::pair<QString, QString>> out;
    for (int i = 0; i < item->childCount(); ++i)
        out.emplace_back(item->child(i)->text(0), item->child(i)->text(1));
    return out;
}
} // namespace

TEST_CASE("properties pane lists a node's attributes, tensors and weight statistics",
          "[properties]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    PropertiesPane pane;
    pane.setGraph(g);
    pane.setNode(*g->findNode("conv1"));
    QTreeWidget* tree = pane.tree();

    QTreeWidgetItem* node = section(tree, QStringLiteral("Node"));
    REQUIRE(node);
    CHECK(rows(node)[0] == std::pair(QStringLiteral("Op"), QStringLiteral("Conv")));
    CHECK(rows(node)[2] == std::pair(QStringLiteral("Name"), QStringLiteral("conv1")));

    QTreeWidgetItem* attrs = section(tree, QStringLiteral("Attributes"));
    REQUIRE(attrs);
    using Rows = std::vector<std::pair<QString, QString>>;
    CHECK(rows(attrs) == Rows{{QStringLiteral("kernel_shape"), QStringLiteral("[3, 3]")},
                              {QStringLiteral("pads"), QStringLiteral("[1, 1, 1, 1]")},
                              {QStringLiteral("group"), QStringLiteral("1")}});

    QTreeWidgetItem* inputs = section(tree, QStringLiteral("Inputs"));
    REQUIRE(inputs);
    REQUIRE(inputs->childCount() == 3);
    CHECK(inputs->child(0)->text(0) == QStringLiteral("x"));
    CHECK(inputs->child(0)->text(1) == QStringLiteral("float32 1x3x8x8"));
    CHECK(inputs->child(1)->text(1).startsWith(QStringLiteral("float32 4x3x3x3")));
    QTreeWidgetItem* outputs = section(tree, QStringLiteral("Outputs"));
    REQUIRE(outputs);
    CHECK(outputs->child(0)->text(0) == QStringLiteral("conv1_out"));

    // conv1.weight holds i * 0.01 for i in 0..107: a discrete uniform ramp.
    CHECK(pane.weightPlotCount() == 2);
    const auto panels = pane.findChildren<QGroupBox*>(QStringLiteral("weightPanel"));
    REQUIRE(panels.size() == 2);
    CHECK(panels[0]->title() == QStringLiteral("conv1.weight"));
    const QString stats = panels[0]->findChild<QLabel*>(QStringLiteral("weightStats"))->text();
    INFO(stats.toStdString());
    CHECK(stats.contains(QStringLiteral("108 elements")));
    CHECK(stats.contains(QStringLiteral("min 0 ")));
    CHECK(stats.contains(QStringLiteral("max 1.07 ")));
    CHECK(stats.contains(QStringLiteral("mean 0.535 ")));
    CHECK(stats.contains(QStringLiteral("std 0.31176"))); // 0.01 * sqrt((108^2 - 1) / 12)

    // A node without weights or attributes.
    pane.setNode(*g->findNode("relu1"));
    CHECK(section(tree, QStringLiteral("Attributes")) == nullptr);
    CHECK(pane.weightPlotCount() == 0);
}

TEST_CASE("properties pane shows statistics of weights held by Constant nodes",
          "[properties][constants]") {
    const auto g = lb::widgets::test::makeConstantGraph();
    PropertiesPane pane;
    pane.setGraph(g);
    pane.setNode(*g->findNode("conv"));
    QTreeWidgetItem* inputs = section(pane.tree(), QStringLiteral("Inputs"));
    REQUIRE(inputs);
    REQUIRE(inputs->childCount() == 3);
    CHECK(inputs->child(1)->text(0) == QStringLiteral("w_const_out"));
    CHECK(inputs->child(1)->text(1).endsWith(QStringLiteral("(weight)")));
    CHECK_FALSE(inputs->child(0)->text(1).endsWith(QStringLiteral("(weight)")));

    const auto panels = pane.findChildren<QGroupBox*>(QStringLiteral("weightPanel"));
    REQUIRE(panels.size() == 2);
    CHECK(panels[0]->title() == QStringLiteral("w_const_out"));
    const QString stats = panels[0]->findChild<QLabel*>(QStringLiteral("weightStats"))->text();
    INFO(stats.toStdString());
    CHECK(stats.contains(QStringLiteral("108 elements")));
    CHECK(stats.contains(QStringLiteral("max 1.07 ")));
    CHECK(stats.contains(QStringLiteral("mean 0.535 ")));
    CHECK(panels[1]->title() == QStringLiteral("b_const_out"));
    CHECK(panels[1]
              ->findChild<QLabel*>(QStringLiteral("weightStats"))
              ->text()
              .contains(QStringLiteral("1 elements   min 0.5 ")));

    // Selecting a Constant (shown as a box) shows its own value.
    pane.setNode(*g->findNode("shared_const"));
    CHECK(pane.findChildren<QGroupBox*>(QStringLiteral("weightPanel")).size() == 1);
    // add reads an activation and the shared Constant: one panel, for the Constant.
    pane.setNode(*g->findNode("add"));
    const auto addPanels = pane.findChildren<QGroupBox*>(QStringLiteral("weightPanel"));
    REQUIRE(addPanels.size() == 1);
    CHECK(addPanels[0]->title() == QStringLiteral("shared_const_out"));
}

TEST_CASE("properties pane shows graph inputs and outputs when nothing is selected",
          "[properties]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    PropertiesPane pane;
    pane.setGraph(g);
    pane.setNode(lb::ir::kNoNode);
    QTreeWidgetItem* inputs = section(pane.tree(), QStringLiteral("Inputs"));
    QTreeWidgetItem* outputs = section(pane.tree(), QStringLiteral("Outputs"));
    REQUIRE(inputs);
    REQUIRE(outputs);
    CHECK(rows(inputs) ==
          std::vector{std::pair(QStringLiteral("x"), QStringLiteral("float32 1x3x8x8"))});
    CHECK(rows(outputs) ==
          std::vector{std::pair(QStringLiteral("y"), QStringLiteral("float32 1x10"))});
    CHECK(section(pane.tree(), QStringLiteral("Node")) == nullptr);
}

TEST_CASE("a weight's histogram opens whole in a dock's height, its statistics wrapped",
          "[properties][layout]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    PropertiesPane pane;
    // The Properties dock at 1280x800 beside the Profile dock: about 330 x 420 px.
    pane.resize(420, 330);
    pane.show();
    pane.setGraph(g);
    pane.setNode(*g->findNode("conv1"));
    QCoreApplication::processEvents();
    const auto plots = pane.findChildren<QCustomPlot*>();
    REQUIRE(plots.size() == 2);
    // What the user sees of the first histogram: it opened about 70 px tall, cut off.
    const QRect seen = plots.front()->visibleRegion().boundingRect();
    INFO("visible " << seen.width() << "x" << seen.height() << " of " << plots.front()->width()
                    << "x" << plots.front()->height());
    CHECK(plots.front()->height() >= 120);
    CHECK(seen.height() == plots.front()->height());
    // The statistics line wraps instead of running past the dock's edge.
    const auto* stats = pane.findChild<QLabel*>(QStringLiteral("weightStats"));
    REQUIRE(stats);
    CHECK(stats->wordWrap());
    CHECK(stats->visibleRegion().boundingRect().width() == stats->width());
    CHECK(stats->width() <= pane.width());

    // A node without weights gives the tree the whole height.
    pane.setNode(*g->findNode("relu1"));
    QCoreApplication::processEvents();
    CHECK(pane.tree()->height() > 300);
}
