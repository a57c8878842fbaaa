#include "daemonprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace mcpgate::test {

QByteArray Reply::header(const QByteArray &name) const
{
    for (const auto &pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
            return pair.second;
    }
    return {};
}

DaemonProcess::DaemonProcess(const QStringList &extraArguments)
    : m_extraArguments(extraArguments)
{ }

DaemonProcess::~DaemonProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        stop();
}

QString DaemonProcess::binary()
{
    return QStringLiteral(MCPGATE_BINARY_DIR "/daemon/mcpgated");
}

bool DaemonProcess::start(int timeoutMs)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The test, not the developer's shell, decides every setting.
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("MCPGATE_")))
            environment.remove(name);
    }
    m_process.setProcessEnvironment(environment);
    m_process.start(binary(),
                    QStringList {QStringLiteral("serve"), QStringLiteral("--listen"),
                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                                 m_dataDir.path()}
                        + m_extraArguments);
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on (https?://[^\\s]+)"));
    static const QRegularExpression key(
        QStringLiteral("initial admin API key: (mcpg_[A-Za-z0-9_-]+)"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(100);
        m_output += QString::fromUtf8(m_process.readAllStandardOutput());
        const auto keyMatch = key.match(m_output);
        if (keyMatch.hasMatch())
            m_adminKey = keyMatch.captured(1);
        const auto match = listening.match(m_output);
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            return true;
        }
    }
    return false;
}

int DaemonProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

Reply DaemonProcess::request(const QByteArray &method, const QString &path, const QByteArray &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers,
                             const QString &key)
{
    QUrl url = m_baseUrl;
    const qsizetype query = path.indexOf(u'?');
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    QNetworkRequest request(url);
    const QString token = key == QLatin1String("admin") ? m_adminKey : key;
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    for (const auto &header : headers)
        request.setRawHeader(header.first, header.second);
    QNetworkReply *networkReply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(networkReply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply reply;
    reply.status = networkReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply.headers = networkReply->rawHeaderPairs();
    reply.body = networkReply->readAll();
    networkReply->deleteLater();
    return reply;
}

} // namespace mcpgate::test
