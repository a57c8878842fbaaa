#include "config/configerror.h"
#include "config/configloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <unistd.h>

using namespace mcpgate::config;

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void defaults();
    void defaultDataDirFollowsEnvironment();
    void precedence();
    void derivedDefaultsFollowDataDir();
    void environmentConversion_data();
    void environmentConversion();
    void emptyEnvironmentValueIsUnset();
    void listenForms_data();
    void listenForms();
    void invalidValues_data();
    void invalidValues();
    void fileTypeErrors_data();
    void fileTypeErrors();
    void unknownKeys();
    void missingConfigFile();
    void syntaxErrorNamesFile();
    void tlsNeedsBothReadableFiles();
    void relativePathsAreAbsolute();
    void sampleConfigShowsDefaults();
    void documentationCoversEveryKey();

private:
    QString writeConfig(const QByteArray &text);
    static void compareToDefaults(const Settings &actual, const Settings &expected);
    static QString errorOf(const std::function<void()> &load);

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;
};

void TestConfigLoader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Tests never look at the real environment or home directory.
    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_dir->filePath(QStringLiteral("home")));
}

QString TestConfigLoader::writeConfig(const QByteArray &text)
{
    const QString path = m_dir->filePath(QStringLiteral("mcpgated.conf"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

QString TestConfigLoader::errorOf(const std::function<void()> &load)
{
    try {
        load();
    } catch (const ConfigError &error) {
        return QString::fromStdString(error.what());
    }
    return QStringLiteral("(no error)");
}

void TestConfigLoader::compareToDefaults(const Settings &actual, const Settings &expected)
{
    QCOMPARE(actual.listen, expected.listen);
    QCOMPARE(actual.listenAddress, expected.listenAddress);
    QCOMPARE(actual.listenPort, expected.listenPort);
    QCOMPARE(actual.maxConnections, expected.maxConnections);
    QCOMPARE(actual.maxHeaderBytes, expected.maxHeaderBytes);
    QCOMPARE(actual.maxBodyBytes, expected.maxBodyBytes);
    QCOMPARE(actual.headerTimeoutMs, expected.headerTimeoutMs);
    QCOMPARE(actual.idleTimeoutMs, expected.idleTimeoutMs);
    QCOMPARE(actual.shutdownGraceMs, expected.shutdownGraceMs);
    QCOMPARE(actual.tlsCertificate, expected.tlsCertificate);
    QCOMPARE(actual.tlsPrivateKey, expected.tlsPrivateKey);
    QCOMPARE(actual.dataDir, expected.dataDir);
    QCOMPARE(actual.database, expected.database);
    QCOMPARE(actual.secretKeyFile, expected.secretKeyFile);
    QCOMPARE(actual.logFormat, expected.logFormat);
    QCOMPARE(actual.logRules, expected.logRules);
    QCOMPARE(actual.logAccess, expected.logAccess);
    QCOMPARE(actual.registerDemo, expected.registerDemo);
    QCOMPARE(actual.demoCommand, expected.demoCommand);
}

void TestConfigLoader::defaults()
{
    const Settings s = ConfigLoader::load(QString(), m_env);
    QCOMPARE(s.listen, QStringLiteral("127.0.0.1:8080"));
    QCOMPARE(s.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(s.listenPort, quint16(8080));
    QCOMPARE(s.maxConnections, 10000);
    QCOMPARE(s.maxHeaderBytes, 16384);
    QCOMPARE(s.maxBodyBytes, 4194304);
    QCOMPARE(s.headerTimeoutMs, 10000);
    QCOMPARE(s.idleTimeoutMs, 60000);
    QCOMPARE(s.shutdownGraceMs, 10000);
    QVERIFY(s.tlsCertificate.isEmpty());
    QVERIFY(s.tlsPrivateKey.isEmpty());
    QVERIFY(!s.tlsEnabled());
    const QString dataDir = ::geteuid() == 0
        ? QStringLiteral("/var/lib/mcpgate")
        : m_dir->filePath(QStringLiteral("home/.local/share/mcpgate"));
    QCOMPARE(s.dataDir, dataDir);
    QCOMPARE(s.database, QStringLiteral("sqlite:") + dataDir + QStringLiteral("/mcpgate.db"));
    QCOMPARE(s.secretKeyFile, dataDir + QStringLiteral("/secret.key"));
    QCOMPARE(s.logFormat, LogFormat::Text);
    QVERIFY(s.logRules.isEmpty());
    QCOMPARE(s.logAccess, true);
    QCOMPARE(s.registerDemo, false);
    QCOMPARE(s.demoCommand,
             QCoreApplication::applicationDirPath() + QStringLiteral("/mcpgate-demo-server"));
    QVERIFY(s.configFile.isEmpty());
}

void TestConfigLoader::defaultDataDirFollowsEnvironment()
{
    if (::geteuid() == 0) {
        m_env.insert(QStringLiteral("XDG_DATA_HOME"), QStringLiteral("/srv/xdg"));
        QCOMPARE(defaultDataDir(m_env), QStringLiteral("/var/lib/mcpgate"));
        return;
    }
    QCOMPARE(defaultDataDir(m_env), m_dir->filePath(QStringLiteral("home/.local/share/mcpgate")));
    m_env.insert(QStringLiteral("XDG_DATA_HOME"), QStringLiteral("/srv/xdg/"));
    QCOMPARE(defaultDataDir(m_env), QStringLiteral("/srv/xdg/mcpgate"));
    m_env.insert(QStringLiteral("XDG_DATA_HOME"), QStringLiteral("relative/xdg"));
    QCOMPARE(defaultDataDir(m_env), m_dir->filePath(QStringLiteral("home/.local/share/mcpgate")));
}

void TestConfigLoader::precedence()
{
    const QString path = writeConfig("[server]\n"
                                     "listen = \"127.0.0.1:1001\"\n"
                                     "max_connections = 11\n"
                                     "idle_timeout_ms = 5000\n"
                                     "[log]\n"
                                     "format = \"json\"\n");
    m_env.insert(QStringLiteral("MCPGATE_SERVER_LISTEN"), QStringLiteral("127.0.0.1:1002"));
    m_env.insert(QStringLiteral("MCPGATE_SERVER_MAX_CONNECTIONS"), QStringLiteral("12"));
    m_env.insert(QStringLiteral("MCPGATE_LOG_ACCESS"), QStringLiteral("false"));
    const QList<ConfigOverride> flags {{QStringLiteral("server.listen"),
                                        QStringLiteral("127.0.0.1:1003"),
                                        QStringLiteral("--listen")}};

    Settings s = ConfigLoader::load(path, m_env, flags);
    QCOMPARE(s.configFile, path);
    QCOMPARE(s.listen, QStringLiteral("127.0.0.1:1003")); // flag beats environment and file
    QCOMPARE(s.listenPort, quint16(1003));
    QCOMPARE(s.maxConnections, 12); // environment beats file
    QCOMPARE(s.idleTimeoutMs, 5000); // file beats default
    QCOMPARE(s.logFormat, LogFormat::Json);
    QCOMPARE(s.logAccess, false);
    QCOMPARE(s.headerTimeoutMs, 10000); // default

    s = ConfigLoader::load(path, m_env);
    QCOMPARE(s.listenPort, quint16(1002));
    m_env.remove(QStringLiteral("MCPGATE_SERVER_LISTEN"));
    s = ConfigLoader::load(path, m_env);
    QCOMPARE(s.listenPort, quint16(1001));
    s = ConfigLoader::load(QString(), m_env);
    QCOMPARE(s.listenPort, quint16(8080));
    QCOMPARE(s.maxConnections, 12);
}

void TestConfigLoader::derivedDefaultsFollowDataDir()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    Settings s = ConfigLoader::load(
        QString(), m_env,
        {{QStringLiteral("storage.data_dir"), dataDir, QStringLiteral("--data-dir")}});
    QCOMPARE(s.dataDir, dataDir);
    QCOMPARE(s.database, QStringLiteral("sqlite:") + dataDir + QStringLiteral("/mcpgate.db"));
    QCOMPARE(s.secretKeyFile, dataDir + QStringLiteral("/secret.key"));

    // Explicit values win over the derived ones.
    m_env.insert(QStringLiteral("MCPGATE_STORAGE_DATABASE"),
                 QStringLiteral("postgresql://u@127.0.0.1/gate"));
    m_env.insert(QStringLiteral("MCPGATE_SECURITY_SECRET_KEY_FILE"),
                 QStringLiteral("/etc/mcpgate/key"));
    m_env.insert(QStringLiteral("MCPGATE_BOOTSTRAP_DEMO_COMMAND"), QStringLiteral("/opt/demo"));
    s = ConfigLoader::load(QString(), m_env);
    QCOMPARE(s.database, QStringLiteral("postgresql://u@127.0.0.1/gate"));
    QCOMPARE(s.secretKeyFile, QStringLiteral("/etc/mcpgate/key"));
    QCOMPARE(s.demoCommand, QStringLiteral("/opt/demo"));
}

void TestConfigLoader::environmentConversion_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("int") << "MCPGATE_SERVER_MAX_BODY_BYTES"
                         << "2048"
                         << "maxBodyBytes" << QVariant(2048);
    QTest::newRow("int spaces") << "MCPGATE_SERVER_SHUTDOWN_GRACE_MS"
                                << " 0 "
                                << "shutdownGraceMs" << QVariant(0);
    for (const char *yes : {"true", "TRUE", "1", "yes", "on"})
        QTest::newRow(yes) << "MCPGATE_BOOTSTRAP_REGISTER_DEMO" << yes << "registerDemo"
                           << QVariant(true);
    for (const char *no : {"false", "False", "0", "no", "off"})
        QTest::newRow(no) << "MCPGATE_LOG_ACCESS" << no << "logAccess" << QVariant(false);
    QTest::newRow("string") << "MCPGATE_LOG_RULES"
                            << "mcpgate.*.debug=true; qt.*=false"
                            << "logRules"
                            << QVariant(QStringLiteral("mcpgate.*.debug=true; qt.*=false"));
}

void TestConfigLoader::environmentConversion()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, field);
    QFETCH(QVariant, expected);
    m_env.insert(variable, value);
    const Settings s = ConfigLoader::load(QString(), m_env);
    const QHash<QString, QVariant> fields {
        {QStringLiteral("maxBodyBytes"), s.maxBodyBytes},
        {QStringLiteral("shutdownGraceMs"), s.shutdownGraceMs},
        {QStringLiteral("registerDemo"), s.registerDemo},
        {QStringLiteral("logAccess"), s.logAccess},
        {QStringLiteral("logRules"), s.logRules},
    };
    QCOMPARE(fields.value(field).toString(), expected.toString());
}

void TestConfigLoader::emptyEnvironmentValueIsUnset()
{
    const QString path = writeConfig("[server]\nlisten = \"127.0.0.1:1001\"\n");
    m_env.insert(QStringLiteral("MCPGATE_SERVER_LISTEN"), QString());
    // Not configuration keys: MCPGATE_SECRET_KEY belongs to the secret store.
    m_env.insert(QStringLiteral("MCPGATE_SECRET_KEY"), QStringLiteral("abc"));
    m_env.insert(QStringLiteral("MCPGATE_NO_SUCH_KEY"), QStringLiteral("abc"));
    QCOMPARE(ConfigLoader::load(path, m_env).listenPort, quint16(1001));
}

void TestConfigLoader::listenForms_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << "127.0.0.1:8080" << QHostAddress(QHostAddress::LocalHost) << 8080;
    QTest::newRow("port 0") << "127.0.0.1:0" << QHostAddress(QHostAddress::LocalHost) << 0;
    QTest::newRow("localhost") << "localhost:65535" << QHostAddress(QHostAddress::LocalHost)
                               << 65535;
    QTest::newRow("any") << "0.0.0.0:443" << QHostAddress(QHostAddress::AnyIPv4) << 443;
    QTest::newRow("ipv6") << "[::1]:8080" << QHostAddress(QHostAddress::LocalHostIPv6) << 8080;
    QTest::newRow("ipv6 any") << "[::]:80" << QHostAddress(QHostAddress::AnyIPv6) << 80;
}

void TestConfigLoader::listenForms()
{
    QFETCH(QString, listen);
    QFETCH(QHostAddress, address);
    QFETCH(int, port);
    const Settings s = ConfigLoader::load(
        QString(), m_env, {{QStringLiteral("server.listen"), listen, QStringLiteral("--listen")}});
    QCOMPARE(s.listen, listen);
    QCOMPARE(s.listenAddress, address);
    QCOMPARE(int(s.listenPort), port);
}

void TestConfigLoader::invalidValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    const QString usage = QStringLiteral("must be HOST:PORT or [IPV6]:PORT, e.g. 127.0.0.1:8080");
    QTest::newRow("listen no host") << "server.listen"
                                    << "8080" << usage;
    QTest::newRow("listen no port") << "server.listen"
                                    << "[::1]" << usage;
    QTest::newRow("listen host name") << "server.listen"
                                      << "example.com:80"
                                      << "\"example.com\" is not an IP address (host names other "
                                         "than localhost are not resolved)";
    QTest::newRow("listen bare ipv6") << "server.listen"
                                      << "::1:80"
                                      << "put an IPv6 address in brackets: [::1]:PORT";
    QTest::newRow("listen v4 in brackets") << "server.listen"
                                           << "[127.0.0.1]:80"
                                           << "\"127.0.0.1\" is not an IPv6 address";
    QTest::newRow("listen big port") << "server.listen"
                                     << "127.0.0.1:65536"
                                     << "port \"65536\" must be a number from 0 to 65535";
    QTest::newRow("listen empty port") << "server.listen"
                                       << "127.0.0.1:"
                                       << "port \"\" must be a number from 0 to 65535";
    QTest::newRow("listen negative port") << "server.listen"
                                          << "127.0.0.1:-1"
                                          << "port \"-1\" must be a number from 0 to 65535";
    QTest::newRow("max_connections low") << "server.max_connections"
                                         << "0"
                                         << "must be between 1 and 1000000";
    QTest::newRow("max_connections high") << "server.max_connections"
                                          << "1000001"
                                          << "must be between 1 and 1000000";
    QTest::newRow("max_connections text") << "server.max_connections"
                                          << "many"
                                          << "must be an integer, not \"many\"";
    QTest::newRow("max_header_bytes") << "server.max_header_bytes"
                                      << "1023"
                                      << "must be between 1024 and 1048576";
    QTest::newRow("max_body_bytes") << "server.max_body_bytes"
                                    << "1073741825"
                                    << "must be between 1024 and 1073741824";
    QTest::newRow("header_timeout_ms") << "server.header_timeout_ms"
                                       << "99"
                                       << "must be between 100 and 3600000";
    QTest::newRow("idle_timeout_ms") << "server.idle_timeout_ms"
                                     << "999"
                                     << "must be between 1000 and 86400000";
    QTest::newRow("shutdown_grace_ms") << "server.shutdown_grace_ms"
                                       << "-1"
                                       << "must be between 0 and 3600000";
    QTest::newRow("database scheme")
        << "storage.database"
        << "mysql://u@h/db"
        << "unsupported URL scheme \"mysql\": use sqlite:/path/to/file.db, a file path, "
           "or postgresql://user:password@host:port/database";
    QTest::newRow("log format") << "log.format"
                                << "xml"
                                << "must be \"text\" or \"json\"";
    QTest::newRow("log rules") << "log.rules"
                               << "mcpgate.http.debug=true;mcpgate.http"
                               << "bad logging rule \"mcpgate.http\": expected "
                                  "CATEGORY[.LEVEL]=true|false, e.g. mcpgate.http.debug=true";
    QTest::newRow("log rules value") << "log.rules"
                                     << "mcpgate.*=yes"
                                     << "bad logging rule \"mcpgate.*=yes\": expected "
                                        "CATEGORY[.LEVEL]=true|false, e.g. mcpgate.http.debug=true";
    QTest::newRow("log access") << "log.access"
                                << "maybe"
                                << "must be true or false, not \"maybe\"";
    QTest::newRow("register_demo") << "bootstrap.register_demo"
                                   << "2"
                                   << "must be true or false, not \"2\"";
}

void TestConfigLoader::invalidValues()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, message);
    // From a flag...
    QCOMPARE(errorOf([&] {
                 ConfigLoader::load(QString(), m_env, {{key, value, QStringLiteral("--flag")}});
             }),
             QStringLiteral("--flag: ") + message);
    // ...from a flag given without a name...
    QCOMPARE(errorOf([&] {
                 ConfigLoader::load(QString(), m_env, {{key, value, QString()}});
             }),
             QStringLiteral("--set ") + key + QStringLiteral(": ") + message);
    // ...from the environment...
    const SettingKey *setting = findSettingKey(key);
    QVERIFY(setting);
    QProcessEnvironment env = m_env;
    env.insert(environmentVariable(*setting), value);
    QCOMPARE(errorOf([&] { ConfigLoader::load(QString(), env); }),
             QStringLiteral("environment ") + environmentVariable(*setting) + QStringLiteral(": ")
                 + message);
    // ...and from the file, typed as the file syntax demands.
    if (message.startsWith(QLatin1String("must be an integer"))
        || message.startsWith(QLatin1String("must be true or false")))
        return; // type errors in files are fileTypeErrors()
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    QString literal = value;
    if (setting->type == SettingType::String || setting->type == SettingType::Path)
        literal = QLatin1Char('"') + value + QLatin1Char('"');
    const QString path = writeConfig("# comment\n[" + key.left(dot).toUtf8() + "]\n"
                                     + key.mid(dot + 1).toUtf8() + " = " + literal.toUtf8() + "\n");
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             path + QStringLiteral(":3: ") + key + QStringLiteral(": ") + message);
}

void TestConfigLoader::fileTypeErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("quoted int")
        << QByteArray("[server]\nmax_connections = \"10\"")
        << ":2: server.max_connections: must be an integer (without quotes)";
    QTest::newRow("quoted bool") << QByteArray("[log]\n\naccess = \"true\"")
                                 << ":3: log.access: must be true or false (without quotes)";
    QTest::newRow("int for string") << QByteArray("[server]\nlisten = 8080")
                                    << ":2: server.listen: must be a string in double quotes";
    QTest::newRow("array for string") << QByteArray("[log]\nrules = [\"a=true\"]")
                                      << ":2: log.rules: must be a string in double quotes";
    QTest::newRow("bool for path") << QByteArray("[storage]\ndata_dir = true")
                                   << ":2: storage.data_dir: must be a string in double quotes";
    QTest::newRow("range") << QByteArray(
        "[server]\nlisten = \"127.0.0.1:1\"\nmax_body_bytes = 1_073_741_825")
                           << ":3: server.max_body_bytes: must be between 1024 and 1073741824";
}

void TestConfigLoader::fileTypeErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const QString path = writeConfig(text);
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }), path + message);
}

void TestConfigLoader::unknownKeys()
{
    const QString path
        = writeConfig("[server]\nlisten = \"127.0.0.1:1\"\n\n[storage]\ndatabse = \"x.db\"\n");
    QCOMPARE(
        errorOf([&] { ConfigLoader::load(path, m_env); }),
        path + QStringLiteral(":5: unknown key storage.databse (did you mean storage.database?)"));

    writeConfig("[frobnicate]\nwidgets = 3\n");
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             path + QStringLiteral(":2: unknown key frobnicate.widgets"));

    QCOMPARE(errorOf([&] {
                 ConfigLoader::load(QString(), m_env,
                                    {{QStringLiteral("server.listn"), QStringLiteral("x"),
                                      QStringLiteral("--set server.listn=x")}});
             }),
             QStringLiteral(
                 "--set server.listn=x: unknown key server.listn (did you mean server.listen?)"));
}

void TestConfigLoader::missingConfigFile()
{
    const QString path = m_dir->filePath(QStringLiteral("absent.conf"));
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             path + QStringLiteral(": no such file"));
}

void TestConfigLoader::syntaxErrorNamesFile()
{
    const QString path
        = writeConfig("[server]\nlisten = \"127.0.0.1:1\"\nlisten = \"127.0.0.1:2\"\n");
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             path + QStringLiteral(":3:1: duplicate key server.listen (first set on line 2)"));
}

void TestConfigLoader::tlsNeedsBothReadableFiles()
{
    const QString cert = m_dir->filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir->filePath(QStringLiteral("key.pem"));
    for (const QString &name : {cert, key}) {
        QFile file(name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("-----BEGIN-----\n");
    }

    const QString path = writeConfig("[server]\ntls_certificate = \"" + cert.toUtf8() + "\"\n");
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             path
                 + QStringLiteral(":2: server.tls_certificate: server.tls_private_key must be set "
                                  "too (TLS needs both or neither)"));
    QCOMPARE(errorOf([&] {
                 ConfigLoader::load(QString(), m_env,
                                    {{QStringLiteral("server.tls_private_key"), key,
                                      QStringLiteral("--tls-key")}});
             }),
             QStringLiteral("--tls-key: server.tls_private_key: server.tls_certificate must be set "
                            "too (TLS needs both or neither)"));

    m_env.insert(QStringLiteral("MCPGATE_SERVER_TLS_PRIVATE_KEY"), key);
    Settings s = ConfigLoader::load(path, m_env);
    QVERIFY(s.tlsEnabled());
    QCOMPARE(s.tlsCertificate, cert);
    QCOMPARE(s.tlsPrivateKey, key);

    const QString absent = m_dir->filePath(QStringLiteral("absent.pem"));
    m_env.insert(QStringLiteral("MCPGATE_SERVER_TLS_PRIVATE_KEY"), absent);
    QCOMPARE(errorOf([&] { ConfigLoader::load(path, m_env); }),
             QStringLiteral(
                 "environment MCPGATE_SERVER_TLS_PRIVATE_KEY: server.tls_private_key: cannot read ")
                 + absent);
}

void TestConfigLoader::relativePathsAreAbsolute()
{
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir->path()));
    const Settings s
        = ConfigLoader::load(QString(), m_env,
                             {{QStringLiteral("storage.data_dir"),
                               QStringLiteral("./state/../data"), QStringLiteral("--data-dir")}});
    QDir::setCurrent(previous);
    QCOMPARE(s.dataDir, m_dir->filePath(QStringLiteral("data")));
}

void TestConfigLoader::sampleConfigShowsDefaults()
{
    const QString sample = QStringLiteral(MCPGATE_SOURCE_DIR "/resources/mcpgated.conf");
    const Settings defaults = ConfigLoader::load(QString(), m_env);
    compareToDefaults(ConfigLoader::load(sample, m_env), defaults);

    // Uncommenting every setting line ("#key = value") must change nothing either.
    QFile file(sample);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    static const QRegularExpression setting(QStringLiteral("^#([a-z_]+) = "));
    QStringList uncommented;
    QString section;
    for (QString &line : lines) {
        if (line.startsWith(QLatin1Char('[')))
            section = line.mid(1, line.indexOf(QLatin1Char(']')) - 1);
        const auto match = setting.match(line);
        if (match.hasMatch()) {
            line.remove(0, 1);
            uncommented.append(section + QLatin1Char('.') + match.captured(1));
        }
    }
    QStringList allKeys;
    for (const SettingKey &key : settingKeys())
        allKeys.append(QString::fromLatin1(key.name));
    uncommented.sort();
    allKeys.sort();
    QCOMPARE(uncommented, allKeys);
    const QString path = writeConfig(lines.join(QLatin1Char('\n')).toUtf8());
    compareToDefaults(ConfigLoader::load(path, m_env), defaults);
}

void TestConfigLoader::documentationCoversEveryKey()
{
    QFile file(QStringLiteral(MCPGATE_SOURCE_DIR "/docs/configuration.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    for (const SettingKey &key : settingKeys()) {
        const QString name = QString::fromLatin1(key.name);
        QVERIFY2(text.contains(QLatin1Char('`') + name + QLatin1Char('`')), key.name);
        QVERIFY2(text.contains(environmentVariable(key)), key.name);
    }
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
