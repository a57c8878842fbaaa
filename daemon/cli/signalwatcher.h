// Turns SIGTERM and SIGINT into a Qt signal on the event loop (self-pipe), so the daemon can
// shut down gracefully instead of dying mid-request.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace mcpgate::cli {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mcpgate::cli
