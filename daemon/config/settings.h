// mcpgated's settings as one typed struct with defaults, and one table describing every key
// (name, type, default, documentation, validation) that the loader, --help and the docs share.
#pragma once

#include <QHostAddress>
#include <QString>

#include <span>

class QProcessEnvironment;
class QVariant;

namespace mcpgate::config {

enum class LogFormat
{
    Text,
    Json
};

struct Settings
{
    // [server]
    QString listen = QStringLiteral("127.0.0.1:8080"); // as given; parsed into the two below
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8080; // 0: any free port
    int maxConnections = 10000;
    qint64 maxHeaderBytes = 16384;
    qint64 maxBodyBytes = 4194304;
    int headerTimeoutMs = 10000;
    int idleTimeoutMs = 60000;
    int shutdownGraceMs = 10000;
    QString tlsCertificate; // absolute path, or empty for plain HTTP
    QString tlsPrivateKey;

    // [storage]; ConfigLoader::load() fills in the derived defaults, so neither is empty after it.
    QString dataDir;
    QString database; // a Database::open() URL

    // [security]
    QString secretKeyFile; // <dataDir>/secret.key unless set

    // [log]
    LogFormat logFormat = LogFormat::Text;
    QString logRules; // QLoggingCategory filter rules, ';' or newline separated
    bool logAccess = true;

    // [bootstrap]
    bool registerDemo = false;
    QString demoCommand; // mcpgate-demo-server next to the running binary unless set

    // Not a key: the configuration file that was read, empty when none.
    QString configFile;

    bool tlsEnabled() const { return !tlsCertificate.isEmpty(); }
};

enum class SettingType
{
    String,
    Integer,
    Boolean,
    Path // a string; relative paths are taken relative to the working directory
};

struct SettingKey
{
    const char *name; // "section.key"
    SettingType type;
    const char *defaultText; // the default as documented
    const char *description;
    qint64 minimum; // integers only
    qint64 maximum;
    // Stores a value already converted to `type` (QString, qint64 within range, or bool) and
    // returns why it is invalid, or an empty string.
    QString (*assign)(Settings &settings, const QVariant &value);
};

// Every key, in documentation order.
std::span<const SettingKey> settingKeys();
// nullptr for an unknown name.
const SettingKey *findSettingKey(const QString &name);
// "MCPGATE_" + section and key in upper case: server.listen -> MCPGATE_SERVER_LISTEN.
QString environmentVariable(const SettingKey &key);
QString typeName(SettingType type);

// "/var/lib/mcpgate" for root, else $XDG_DATA_HOME/mcpgate, else $HOME/.local/share/mcpgate.
QString defaultDataDir(const QProcessEnvironment &env);
// Parses "HOST:PORT" or "[IPV6]:PORT"; HOST is an IP address or "localhost". Returns why the
// text is invalid, or an empty string.
QString parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);

} // namespace mcpgate::config
