// Starts the real mcpgated binary for a test on 127.0.0.1 with a free port and a temporary data
// directory, and talks HTTP to it. The process is stopped with SIGTERM when the object goes.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace mcpgate::test {

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

class DaemonProcess
{
public:
    explicit DaemonProcess(const QStringList &extraArguments = {});
    ~DaemonProcess();

    // Starts and waits for "listening on"; false (with output in errorText()) on failure.
    bool start(int timeoutMs = 20000);
    // Sends SIGTERM and waits; returns the exit code, or -1 when it did not stop in time.
    int stop(int timeoutMs = 15000);

    QUrl baseUrl() const { return m_baseUrl; }
    QString adminKey() const { return m_adminKey; }
    QString dataDir() const { return m_dataDir.path(); }
    QString errorText() { return m_output + QString::fromUtf8(m_process.readAllStandardError()); }
    QProcess &process() { return m_process; }

    // One request; `key` empty = no Authorization header.
    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {},
                  const QString &key = QStringLiteral("admin"));

    static QString binary();

private:
    QProcess m_process;
    QTemporaryDir m_dataDir;
    QStringList m_extraArguments;
    QString m_output;
    QUrl m_baseUrl;
    QString m_adminKey;
    QNetworkAccessManager m_network;
};

} // namespace mcpgate::test
