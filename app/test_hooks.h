#pragma once

#include <QObject>
#include <QString>

class QTimer;

namespace lb::app {

class MainWindow;

// TEST HOOK, not a feature: lets tests/app/check_recovery_kill.sh drive the real GUI through
// edit / autosave / kill -9 / recover cycles. Inert unless LB_TEST_EDITS or LB_TEST_DUMP is set:
//   LB_TEST_EDITS=COUNT:PACE_MS   once encodings are shown (a quantization or a recovery), type
//                                 COUNT edits into the Encodings table, one every PACE_MS
//   LB_TEST_AUTOSAVE_MS=MS        autosave delay (default QuantAutosave::kDefaultDelayMs)
//   LB_TEST_DUMP=FILE             after a recovery, write the table's encodings (1.0.0 JSON, as
//                                 the autosave holds them) to FILE
//   LB_TEST_RECOVER_AFTER_LOAD=1  answer --recover once the model is on screen, not at start
class TestHooks : public QObject {
    Q_OBJECT

public:
    explicit TestHooks(MainWindow* window);

    bool recoverAfterLoad() const { return m_recoverAfterLoad; }

private:
    void startEdits();
    void editOnce();
    void dumpRecovered();

    MainWindow* m_window;
    QTimer* m_timer;
    int m_editsLeft = 0;
    int m_step = 0;
    QString m_dumpPath;
    bool m_recoverAfterLoad = false;
};

} // namespace lb::app
