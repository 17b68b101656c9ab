#include "app/input_shapes.h"
#include "app/quant_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>
#include <QWheelEvent>
#include <catch2/catch.hpp>

TEST_CASE("a wheel over the Quantize panel scrolls it and leaves a field without focus alone",
          "[quant][panel]") {
    lb::app::InputShapes shapes;
    lb::app::QuantPanel panel(&shapes);
    panel.resize(420, 260); // shorter than its settings: they scroll
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    auto* data = panel.findChild<QComboBox*>(QStringLiteral("quantData"));
    REQUIRE(data);
    QScrollBar* bar = panel.findChild<QScrollArea*>()->verticalScrollBar();
    REQUIRE(bar->maximum() > 0);
    REQUIRE(bar->value() == 0);
    const int before = data->currentIndex();

    const QPointF at(10, 10);
    QWheelEvent down(at, data->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                     Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(data, &down);
    CHECK(data->currentIndex() == before);
    CHECK(bar->value() > 0);

    // Once the user has clicked into it, the wheel is the field's.
    data->setFocus();
    REQUIRE(data->hasFocus());
    QWheelEvent again(at, data->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(data, &again);
    CHECK(data->currentIndex() != before);
}
