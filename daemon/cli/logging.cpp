#include "logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cstdio>

namespace mcpgate::cli {

namespace {

LogStyle g_style = LogStyle::Text;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void writeLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const char *category = context.category ? context.category : "default";
    QByteArray line;
    if (g_style == LogStyle::Json) {
        QJsonObject object {{QStringLiteral("ts"), time},
                            {QStringLiteral("level"), QString::fromLatin1(levelName(type))},
                            {QStringLiteral("category"), QString::fromLatin1(category)}};
        // Access-log lines are JSON already: embed them as an object, not as an escaped string.
        const QJsonDocument embedded = message.startsWith(u'{')
            ? QJsonDocument::fromJson(message.toUtf8())
            : QJsonDocument();
        if (embedded.isObject())
            object.insert(QStringLiteral("fields"), embedded.object());
        else
            object.insert(QStringLiteral("msg"), message);
        line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    } else {
        line = time.toUtf8() + ' ' + levelName(type) + ' ' + category + ": " + message.toUtf8();
    }
    line += '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void installLogging(LogStyle style, const QString &rules)
{
    g_style = style;
    qInstallMessageHandler(writeLine);
    QString effective = QStringLiteral("*.debug=false\nmcpgate.*.info=true");
    if (!rules.isEmpty())
        effective += u'\n' + QString(rules).replace(u';', u'\n');
    QLoggingCategory::setFilterRules(effective);
}

} // namespace mcpgate::cli
