#pragma once

#include "ir/graph.h"

#include <QWidget>
#include <memory>

class QScrollArea;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;

namespace lb::widgets {

struct TensorStats;

// Everything about the selected node: op, domain, name, attributes, inputs/outputs with dtype and
// shape, and for each weight input its statistics and a 64-bin histogram. With no node selected
// it lists the graph's inputs and outputs.
class PropertiesPane : public QWidget {
    Q_OBJECT

public:
    explicit PropertiesPane(QWidget* parent = nullptr);

    void setGraph(std::shared_ptr<const lb::ir::Graph> graph);
    lb::ir::NodeId node() const { return m_node; }
    // The section item ("Attributes", "Inputs", ...) for tests and keyboard navigation.
    QTreeWidget* tree() const { return m_tree; }
    int weightPlotCount() const;

public slots:
    void setNode(lb::ir::NodeId id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void showGraphIo();
    void showNode(const lb::ir::Node& node);
    QTreeWidgetItem* addSection(const QString& title);
    void addValueRows(QTreeWidgetItem* section, const std::vector<lb::ir::ValueId>& values);
    void addWeightPanel(const QString& name, const TensorStats& stats);
    void clearWeightPanels();

    std::shared_ptr<const lb::ir::Graph> m_graph;
    lb::ir::NodeId m_node = lb::ir::kNoNode;
    QTreeWidget* m_tree = nullptr;
    QWidget* m_weights = nullptr;
    QScrollArea* m_weightsScroll = nullptr; // hidden for a node without weights
    QVBoxLayout* m_weightsLayout = nullptr;
};

} // namespace lb::widgets
