#include "config/settings.h"

#include <QDir>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QVariant>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace mcpgate::config {

namespace {

QString ok()
{
    return {};
}

QString validateDatabaseUrl(const QString &url)
{
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0 || url.left(schemeEnd).contains(QLatin1Char('/')))
        return ok(); // "sqlite:/path" or a plain path
    const QString scheme = url.left(schemeEnd).toLower();
    if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres")
        || scheme == QLatin1String("sqlite"))
        return ok();
    return QStringLiteral("unsupported URL scheme \"%1\": use sqlite:/path/to/file.db, a file "
                          "path, or postgresql://user:password@host:port/database")
        .arg(scheme);
}

QString validateLogRules(const QString &rules)
{
    // QLoggingCategory ignores a malformed rule silently; an operator would never notice.
    static const QRegularExpression rule(
        QStringLiteral("^\\*?[A-Za-z0-9_.-]*\\*?(\\.(debug|info|warning|critical))?\\s*=\\s*"
                       "(true|false)$"));
    static const QRegularExpression separator(QStringLiteral("[;\\n]"));
    const QStringList parts = rules.split(separator, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty() && !rule.match(trimmed).hasMatch())
            return QStringLiteral("bad logging rule \"%1\": expected CATEGORY[.LEVEL]=true|false, "
                                  "e.g. mcpgate.http.debug=true")
                .arg(trimmed);
    }
    return ok();
}

// The table. Integer ranges are checked before assign() runs.
const SettingKey keys[] = {
    {"server.listen", SettingType::String, "127.0.0.1:8080",
     "Address and port to listen on: HOST:PORT, or [IPV6]:PORT. HOST is an IP address or "
     "localhost; port 0 picks a free port. Use 0.0.0.0 or [::] to listen on every interface.",
     0, 0,
     [](Settings &s, const QVariant &v) {
         const QString text = v.toString();
         const QString error = parseListenAddress(text, &s.listenAddress, &s.listenPort);
         if (error.isEmpty())
             s.listen = text;
         return error;
     }},
    {"server.max_connections", SettingType::Integer, "10000",
     "Most client connections open at once; further connections are refused until one closes.", 1,
     1000000,
     [](Settings &s, const QVariant &v) {
         s.maxConnections = int(v.toLongLong());
         return ok();
     }},
    {"server.max_header_bytes", SettingType::Integer, "16384",
     "Largest request line plus headers, in bytes; larger requests get 431.", 1024, 1048576,
     [](Settings &s, const QVariant &v) {
         s.maxHeaderBytes = v.toLongLong();
         return ok();
     }},
    {"server.max_body_bytes", SettingType::Integer, "4194304",
     "Largest request body, in bytes; larger requests get 413.", 1024, 1073741824,
     [](Settings &s, const QVariant &v) {
         s.maxBodyBytes = v.toLongLong();
         return ok();
     }},
    {"server.header_timeout_ms", SettingType::Integer, "10000",
     "Time a client has to send a complete request head, in milliseconds.", 100, 3600000,
     [](Settings &s, const QVariant &v) {
         s.headerTimeoutMs = int(v.toLongLong());
         return ok();
     }},
    {"server.idle_timeout_ms", SettingType::Integer, "60000",
     "A keep-alive connection with no request in flight is closed after this many milliseconds.",
     1000, 86400000,
     [](Settings &s, const QVariant &v) {
         s.idleTimeoutMs = int(v.toLongLong());
         return ok();
     }},
    {"server.shutdown_grace_ms", SettingType::Integer, "10000",
     "On SIGTERM, time given to requests in flight before connections are closed, in "
     "milliseconds.",
     0, 3600000,
     [](Settings &s, const QVariant &v) {
         s.shutdownGraceMs = int(v.toLongLong());
         return ok();
     }},
    {"server.tls_certificate", SettingType::Path, "",
     "PEM certificate (chain) file. Set together with server.tls_private_key to serve HTTPS; "
     "leave both empty for plain HTTP (e.g. behind a TLS-terminating proxy).",
     0, 0,
     [](Settings &s, const QVariant &v) {
         s.tlsCertificate = v.toString();
         return ok();
     }},
    {"server.tls_private_key", SettingType::Path, "",
     "PEM private key file for server.tls_certificate (unencrypted; keep it mode 0600).", 0, 0,
     [](Settings &s, const QVariant &v) {
         s.tlsPrivateKey = v.toString();
         return ok();
     }},
    {"storage.data_dir", SettingType::Path,
     "/var/lib/mcpgate as root, else $XDG_DATA_HOME/mcpgate or ~/.local/share/mcpgate",
     "Directory for the SQLite database and the secret key file.", 0, 0,
     [](Settings &s, const QVariant &v) {
         s.dataDir = v.toString();
         return ok();
     }},
    {"storage.database", SettingType::String, "sqlite:<data_dir>/mcpgate.db",
     "Database URL: sqlite:/path/to/file.db (or a plain file path), or "
     "postgresql://user:password@host:5432/database?sslmode=require for several daemons sharing "
     "state.",
     0, 0,
     [](Settings &s, const QVariant &v) {
         const QString url = v.toString().trimmed();
         const QString error = validateDatabaseUrl(url);
         if (error.isEmpty())
             s.database = url;
         return error;
     }},
    {"security.secret_key_file", SettingType::Path, "<data_dir>/secret.key",
     "File holding the key that encrypts upstream credentials at rest; created with mode 0600 "
     "when missing. The MCPGATE_SECRET_KEY environment variable, when set, is used instead.",
     0, 0,
     [](Settings &s, const QVariant &v) {
         s.secretKeyFile = v.toString();
         return ok();
     }},
    {"log.format", SettingType::String, "text",
     "\"text\" for human-readable lines, \"json\" for one JSON object per line (for log "
     "collectors).",
     0, 0,
     [](Settings &s, const QVariant &v) {
         const QString format = v.toString();
         if (format == QLatin1String("text"))
             s.logFormat = LogFormat::Text;
         else if (format == QLatin1String("json"))
             s.logFormat = LogFormat::Json;
         else
             return QStringLiteral("must be \"text\" or \"json\"");
         return ok();
     }},
    {"log.rules", SettingType::String, "",
     "Logging filter rules, separated by ';': CATEGORY[.LEVEL]=true|false, e.g. "
     "\"mcpgate.*.debug=true;mcpgate.http.debug=false\".",
     0, 0,
     [](Settings &s, const QVariant &v) {
         const QString rules = v.toString();
         const QString error = validateLogRules(rules);
         if (error.isEmpty())
             s.logRules = rules;
         return error;
     }},
    {"log.access", SettingType::Boolean, "true", "Log one line per HTTP request (access log).", 0,
     0,
     [](Settings &s, const QVariant &v) {
         s.logAccess = v.toBool();
         return ok();
     }},
    {"bootstrap.register_demo", SettingType::Boolean, "false",
     "On first start (an empty database), also register the bundled demo MCP server (stdio) in "
     "the default tenant.",
     0, 0,
     [](Settings &s, const QVariant &v) {
         s.registerDemo = v.toBool();
         return ok();
     }},
    {"bootstrap.demo_command", SettingType::String, "mcpgate-demo-server next to mcpgated",
     "Program started for the demo server registered by bootstrap.register_demo.", 0, 0,
     [](Settings &s, const QVariant &v) {
         s.demoCommand = v.toString();
         return ok();
     }},
};

} // namespace

std::span<const SettingKey> settingKeys()
{
    return keys;
}

const SettingKey *findSettingKey(const QString &name)
{
    for (const SettingKey &key : keys) {
        if (name == QLatin1String(key.name))
            return &key;
    }
    return nullptr;
}

QString environmentVariable(const SettingKey &key)
{
    QString name = QString::fromLatin1(key.name).toUpper();
    name.replace(QLatin1Char('.'), QLatin1Char('_'));
    return QStringLiteral("MCPGATE_") + name;
}

QString typeName(SettingType type)
{
    switch (type) {
    case SettingType::String:
        return QStringLiteral("string");
    case SettingType::Integer:
        return QStringLiteral("integer");
    case SettingType::Boolean:
        return QStringLiteral("boolean");
    case SettingType::Path:
        return QStringLiteral("path");
    }
    return {};
}

QString defaultDataDir(const QProcessEnvironment &env)
{
#if defined(Q_OS_UNIX)
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/mcpgate");
#endif
    const QString xdg = env.value(QStringLiteral("XDG_DATA_HOME"));
    // The XDG specification says to ignore a relative value.
    if (!xdg.isEmpty() && QDir::isAbsolutePath(xdg))
        return QDir::cleanPath(xdg + QStringLiteral("/mcpgate"));
    QString home = env.value(QStringLiteral("HOME"));
    if (home.isEmpty())
        home = QDir::homePath();
    return QDir::cleanPath(home + QStringLiteral("/.local/share/mcpgate"));
}

QString parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const QString usage = QStringLiteral("must be HOST:PORT or [IPV6]:PORT, e.g. 127.0.0.1:8080");
    QString host;
    QString portText;
    QHostAddress parsed;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1String("]:"));
        if (close < 0)
            return usage;
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
        if (!parsed.setAddress(host) || parsed.protocol() != QAbstractSocket::IPv6Protocol)
            return QStringLiteral("\"%1\" is not an IPv6 address").arg(host);
    } else {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0)
            return usage;
        host = text.left(colon);
        portText = text.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return QStringLiteral("put an IPv6 address in brackets: [%1]:PORT").arg(host);
        if (host == QLatin1String("localhost"))
            parsed = QHostAddress(QHostAddress::LocalHost);
        else if (!parsed.setAddress(host) || parsed.protocol() != QAbstractSocket::IPv4Protocol)
            return QStringLiteral("\"%1\" is not an IP address (host names other than localhost "
                                  "are not resolved)")
                .arg(host);
    }
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,5}$"));
    const uint value = portText.toUInt();
    if (!digits.match(portText).hasMatch() || value > 65535)
        return QStringLiteral("port \"%1\" must be a number from 0 to 65535").arg(portText);
    *address = parsed;
    *port = quint16(value);
    return ok();
}

} // namespace mcpgate::config
