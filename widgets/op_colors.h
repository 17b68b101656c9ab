#pragma once

#include "ops/cost.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

namespace lb::widgets {

// Colours of op categories, shared by the graph view, its legend and charts.
class OpColors {
    Q_DECLARE_TR_FUNCTIONS(OpColors)

public:
    static QColor fill(lb::ops::OpCategory category);
    // Text colour readable on `background`.
    static QColor textOn(const QColor& background);
    static QString categoryName(lb::ops::OpCategory category);
    static QList<lb::ops::OpCategory> allCategories();
    // (translated category name, colour) for every category.
    static QList<QPair<QString, QColor>> legend();
};

} // namespace lb::widgets
