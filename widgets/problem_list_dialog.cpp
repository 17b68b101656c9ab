#include "widgets/problem_list_dialog.h"

#include <QAbstractItemModel>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace lb::widgets {

ProblemListDialog::ProblemListDialog(QWidget* parent) : QDialog(parent) {
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("problemList"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    m_buttons = new QDialogButtonBox(this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_buttons);
    setSizeGripEnabled(true);
}

void ProblemListDialog::setSummary(const QString& text) {
    m_summary->setText(text);
}

void ProblemListDialog::setModel(QAbstractItemModel* model) {
    m_view->setModel(model);
    // Every column as wide as its text, within reason; the last one stretches over the rest.
    const int columns = model ? model->columnCount() : 0;
    m_lastColumnWidth = 0;
    const QAbstractItemView* measure = m_view; // sizeHintForColumn is public here
    for (int c = 0; c < columns; ++c) {
        const int text =
            std::max(measure->sizeHintForColumn(c), m_view->horizontalHeader()->sectionSizeHint(c));
        const int width = std::min(text + 12, c + 1 < columns ? 320 : 640);
        if (c + 1 < columns)
            m_view->setColumnWidth(c, width);
        else
            m_lastColumnWidth = width;
    }
}

QPushButton* ProblemListDialog::addButton(const QString& text, QDialogButtonBox::ButtonRole role) {
    return m_buttons->addButton(text, role);
}

QSize ProblemListDialog::sizeHint() const {
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1280, 800);
    const int rows = m_view->model() ? m_view->model()->rowCount() : 0;
    const int rowHeight = m_view->verticalHeader()->defaultSectionSize() > 0
                              ? m_view->verticalHeader()->defaultSectionSize()
                              : m_view->fontMetrics().height() + 6;
    const int frame = 2 * m_view->frameWidth();
    const int viewHeight = m_view->horizontalHeader()->sizeHint().height() +
                           std::min(rows, kMaxVisibleRows) * rowHeight + frame +
                           m_view->horizontalScrollBar()->sizeHint().height();
    int columns = m_lastColumnWidth;
    for (int c = 0; m_view->model() && c + 1 < m_view->model()->columnCount(); ++c)
        columns += m_view->columnWidth(c);
    const int width =
        std::clamp(columns + frame + m_view->verticalScrollBar()->sizeHint().width() + 24, 640,
                   std::max(640, available.width() * 9 / 10));
    const QMargins margins = layout()->contentsMargins();
    const int spacing = layout()->spacing();
    const int chrome = margins.top() + margins.bottom() + 2 * spacing +
                       m_summary->heightForWidth(width - margins.left() - margins.right()) +
                       m_buttons->sizeHint().height();
    const int cap = static_cast<int>(available.height() * kMaxScreenShare);
    return {width, std::min(chrome + viewHeight, cap)};
}

void ProblemListDialog::showEvent(QShowEvent* event) {
    // QDialog sizes a window from its layout's height-for-width (the wrapped summary) and a
    // table's fixed hint, not from the rows: size it here, within the screen.
    if (!testAttribute(Qt::WA_Resized))
        resize(sizeHint());
    QDialog::showEvent(event);
}

} // namespace lb::widgets
