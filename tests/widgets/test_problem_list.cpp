// The list of problems an encodings import shows (issue #10 item 4: a message box with one line
// per problem grew to 3,208 px with its OK button off-screen).
#include "quant/name_check.h"
#include "widgets/encodings_check_model.h"
#include "widgets/problem_list_dialog.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <catch2/catch.hpp>

using lb::quant::EncodingIssue;
using lb::widgets::EncodingsCheckModel;
using lb::widgets::ProblemListDialog;

namespace {

// `unknown` entries naming no tensor, one per-channel entry that does not fit, one weight far
// from its values, and `missing` activations left in float.
lb::quant::EncodingsCheck checkWith(int unknown, int missing) {
    lb::quant::EncodingsCheck check;
    for (int i = 0; i < unknown; ++i) {
        EncodingIssue issue;
        issue.kind = EncodingIssue::Kind::UnknownTensor;
        issue.tensor = "mobilenet/block_" + std::to_string(i) + "/conv/Relu6:0";
        issue.section = lb::quant::EncodingSection::Activation;
        issue.message = "tensor '" + issue.tensor + "' (activation_encodings) is not in the graph";
        check.issues.push_back(issue);
    }
    EncodingIssue range;
    range.kind = EncodingIssue::Kind::ParamRangeMismatch;
    range.tensor = "conv2d_10.w_0";
    range.section = lb::quant::EncodingSection::Param;
    range.range = {-0.7615, 0.7556};
    range.values = {-0.311, 0.4246};
    check.issues.push_back(range);
    EncodingIssue channels;
    channels.kind = EncodingIssue::Kind::ChannelCountMismatch;
    channels.tensor = "conv1.weight";
    channels.section = lb::quant::EncodingSection::Param;
    channels.found = 3;
    channels.expected = 4;
    channels.detail = "4x3x3x3";
    check.issues.push_back(channels);
    for (int i = 0; i < missing; ++i)
        check.missingActivations.push_back("relu_" + std::to_string(i) + ".tmp_0");
    check.entries = static_cast<size_t>(unknown) + 10;
    check.unmatched = static_cast<size_t>(unknown);
    check.leftOut = check.unmatched + 1;
    return check;
}

QRect rectIn(const QWidget* child, const QWidget* ancestor) {
    return {child->mapTo(ancestor, QPoint(0, 0)), child->size()};
}

} // namespace

TEST_CASE("encodings check model: left-out entries first, facts worded, activations in float "
          "last",
          "[problems]") {
    EncodingsCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const lb::quant::EncodingsCheck check = checkWith(2, 1);
    model.setCheck(check);
    REQUIRE(model.rowCount() == 5);
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    // Unknown tensors, then the channel count (both left out), then advice, then float.
    CHECK(text(0, EncodingsCheckModel::ProblemColumn) == QStringLiteral("Not in this model"));
    CHECK(text(1, EncodingsCheckModel::TensorColumn) ==
          QStringLiteral("mobilenet/block_1/conv/Relu6:0"));
    CHECK(text(2, EncodingsCheckModel::TensorColumn) == QStringLiteral("conv1.weight"));
    CHECK(text(2, EncodingsCheckModel::ImportColumn) == QStringLiteral("left out"));
    CHECK(text(2, EncodingsCheckModel::DetailsColumn).contains(QStringLiteral("4x3x3x3")));
    CHECK(text(2, EncodingsCheckModel::DetailsColumn).contains(QStringLiteral("3 per-channel")));
    CHECK(text(3, EncodingsCheckModel::TensorColumn) == QStringLiteral("conv2d_10.w_0"));
    CHECK(text(3, EncodingsCheckModel::ImportColumn) == QStringLiteral("imported"));
    CHECK(text(3, EncodingsCheckModel::DetailsColumn).contains(QStringLiteral("-0.7615")));
    CHECK(text(3, EncodingsCheckModel::SectionColumn) == QStringLiteral("param"));
    CHECK(text(4, EncodingsCheckModel::TensorColumn) == QStringLiteral("relu_0.tmp_0"));
    CHECK(text(4, EncodingsCheckModel::ImportColumn) == QStringLiteral("stays float"));
}

TEST_CASE("a problem list of 300 rows fits in 800 px, scrolls, and keeps its buttons visible",
          "[problems]") {
    EncodingsCheckModel model;
    model.setCheck(checkWith(300, 40));
    ProblemListDialog dialog;
    dialog.setSummary(QStringLiteral("150 of 450 entries in rec_encodings.json match "
                                     "mobilenet_v2.onnx; 300 match nothing."));
    dialog.setModel(&model);
    QPushButton* ok = dialog.addButton(QStringLiteral("Import Matching Entries (150)"),
                                       QDialogButtonBox::AcceptRole);
    QPushButton* cancel = dialog.addButton(QStringLiteral("Cancel"), QDialogButtonBox::RejectRole);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    const QRect screen = dialog.screen()->availableGeometry();
    INFO("dialog " << dialog.width() << "x" << dialog.height() << ", screen " << screen.width()
                   << "x" << screen.height());
    CHECK(dialog.height() <= 800);
    CHECK(dialog.height() <= screen.height());
    CHECK(dialog.width() <= screen.width());
    // The buttons and the summary lie inside the dialog, the list between them.
    for (QWidget* w : {static_cast<QWidget*>(ok), static_cast<QWidget*>(cancel),
                       static_cast<QWidget*>(dialog.summaryLabel())}) {
        CHECK(w->isVisible());
        CHECK(dialog.rect().contains(rectIn(w, &dialog)));
    }
    CHECK(rectIn(dialog.view(), &dialog).bottom() < rectIn(ok, &dialog).top());
    // Every row reachable by scrolling.
    QScrollBar* scroll = dialog.view()->verticalScrollBar();
    CHECK(scroll->isVisible());
    CHECK(scroll->maximum() > 0);
    const QModelIndex last = model.index(model.rowCount() - 1, 0);
    dialog.view()->scrollTo(last);
    CHECK(dialog.view()->viewport()->rect().intersects(dialog.view()->visualRect(last)));
    // The list shows a useful number of rows, not a sliver.
    CHECK(dialog.view()->viewport()->height() >=
          6 * dialog.view()->verticalHeader()->defaultSectionSize());
}

TEST_CASE("a short problem list is shown whole", "[problems]") {
    EncodingsCheckModel model;
    model.setCheck(checkWith(3, 2));
    ProblemListDialog dialog;
    dialog.setSummary(QStringLiteral("7 of 13 entries match."));
    dialog.setModel(&model);
    dialog.addButton(QStringLiteral("OK"), QDialogButtonBox::AcceptRole);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    CHECK_FALSE(dialog.view()->verticalScrollBar()->isVisible());
    const QModelIndex last = model.index(model.rowCount() - 1, 0);
    CHECK(dialog.view()->viewport()->rect().contains(dialog.view()->visualRect(last)));
}
