#include "config/configloader.h"

#include "config/configerror.h"
#include "config/configfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QProcessEnvironment>
#include <QStringList>

#include <algorithm>

namespace mcpgate::config {

namespace {

int editDistance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min(
                {row[j] + 1, row[j - 1] + 1, diagonal + (a.at(i - 1) == b.at(j - 1) ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

QString unknownKeyMessage(const QString &name)
{
    QString message = QStringLiteral("unknown key %1").arg(name);
    const SettingKey *closest = nullptr;
    int best = 4;
    for (const SettingKey &key : settingKeys()) {
        const int distance = editDistance(name, QString::fromLatin1(key.name));
        if (distance < best) {
            best = distance;
            closest = &key;
        }
    }
    if (closest)
        message += QStringLiteral(" (did you mean %1?)").arg(QString::fromLatin1(closest->name));
    return message;
}

QString absolutePath(const QString &path)
{
    if (path.isEmpty())
        return path;
    return QDir::cleanPath(QDir::current().absoluteFilePath(path));
}

// Converts a typed value from the file; returns an error or an empty string.
QString convertTyped(const SettingKey &key, const QVariant &value, QVariant *out)
{
    const int type = value.metaType().id();
    switch (key.type) {
    case SettingType::String:
    case SettingType::Path:
        if (type != QMetaType::QString)
            return QStringLiteral("must be a string in double quotes");
        *out = value;
        return {};
    case SettingType::Integer:
        if (type != QMetaType::LongLong)
            return QStringLiteral("must be an integer (without quotes)");
        *out = value;
        return {};
    case SettingType::Boolean:
        if (type != QMetaType::Bool)
            return QStringLiteral("must be true or false (without quotes)");
        *out = value;
        return {};
    }
    return QStringLiteral("unsupported type");
}

// Converts text from the environment or the command line.
QString convertText(const SettingKey &key, const QString &text, QVariant *out)
{
    switch (key.type) {
    case SettingType::String:
    case SettingType::Path:
        *out = text;
        return {};
    case SettingType::Integer: {
        bool ok = false;
        const qint64 value = text.trimmed().toLongLong(&ok);
        if (!ok)
            return QStringLiteral("must be an integer, not \"%1\"").arg(text);
        *out = value;
        return {};
    }
    case SettingType::Boolean: {
        const QString lower = text.trimmed().toLower();
        if (lower == QLatin1String("true") || lower == QLatin1String("1")
            || lower == QLatin1String("yes") || lower == QLatin1String("on"))
            *out = true;
        else if (lower == QLatin1String("false") || lower == QLatin1String("0")
                 || lower == QLatin1String("no") || lower == QLatin1String("off"))
            *out = false;
        else
            return QStringLiteral("must be true or false, not \"%1\"").arg(text);
        return {};
    }
    }
    return QStringLiteral("unsupported type");
}

class Builder final
{
public:
    // `origin` is "FILE:LINE", "environment NAME" or a flag; `withKey` adds the key name to
    // messages where the origin does not already say which key it is.
    void apply(const SettingKey &key, const QVariant &converted, const QString &origin,
               bool withKey)
    {
        QString error;
        QVariant value = converted;
        if (key.type == SettingType::Integer)
            error = checkRange(key, value.toLongLong());
        if (key.type == SettingType::Path)
            value = absolutePath(value.toString());
        if (error.isEmpty())
            error = key.assign(m_settings, value);
        if (!error.isEmpty())
            fail(origin, withKey ? QString::fromLatin1(key.name) : QString(), error);
        m_origins.insert(QString::fromLatin1(key.name), origin);
    }

    [[noreturn]] static void fail(const QString &origin, const QString &key, const QString &error)
    {
        if (key.isEmpty())
            throw ConfigError(origin + QStringLiteral(": ") + error);
        throw ConfigError(origin + QStringLiteral(": ") + key + QStringLiteral(": ") + error);
    }

    // Where a key's value came from, for messages about combinations of keys.
    QString originOf(const char *key) const
    {
        return m_origins.value(QString::fromLatin1(key), QStringLiteral("default"));
    }

    Settings &settings() { return m_settings; }

private:
    static QString checkRange(const SettingKey &key, qint64 value)
    {
        if (value < key.minimum || value > key.maximum)
            return QStringLiteral("must be between %1 and %2").arg(key.minimum).arg(key.maximum);
        return {};
    }

    Settings m_settings;
    QHash<QString, QString> m_origins;
};

void checkTls(Builder &builder)
{
    const Settings &s = builder.settings();
    if (s.tlsCertificate.isEmpty() != s.tlsPrivateKey.isEmpty()) {
        const char *set
            = s.tlsCertificate.isEmpty() ? "server.tls_private_key" : "server.tls_certificate";
        const char *missing
            = s.tlsCertificate.isEmpty() ? "server.tls_certificate" : "server.tls_private_key";
        Builder::fail(builder.originOf(set), QString::fromLatin1(set),
                      QStringLiteral("%1 must be set too (TLS needs both or neither)")
                          .arg(QString::fromLatin1(missing)));
    }
    const std::pair<const char *, QString> files[] = {
        {"server.tls_certificate", s.tlsCertificate},
        {"server.tls_private_key", s.tlsPrivateKey},
    };
    for (const auto &[key, path] : files) {
        if (path.isEmpty())
            continue;
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable())
            Builder::fail(builder.originOf(key), QString::fromLatin1(key),
                          QStringLiteral("cannot read %1").arg(path));
    }
}

} // namespace

Settings ConfigLoader::load(const QString &configFile, const QProcessEnvironment &env,
                            const QList<ConfigOverride> &overrides)
{
    Builder builder;

    if (!configFile.isEmpty()) {
        const ConfigFile file = ConfigFile::load(configFile);
        builder.settings().configFile = QFileInfo(configFile).absoluteFilePath();
        for (auto it = file.entries().cbegin(); it != file.entries().cend(); ++it) {
            const QString origin = configFile + QLatin1Char(':') + QString::number(it->line);
            const SettingKey *key = findSettingKey(it.key());
            if (!key)
                Builder::fail(origin, QString(), unknownKeyMessage(it.key()));
            QVariant value;
            const QString error = convertTyped(*key, it->value, &value);
            if (!error.isEmpty())
                Builder::fail(origin, it.key(), error);
            builder.apply(*key, value, origin, true);
        }
    }

    for (const SettingKey &key : settingKeys()) {
        const QString variable = environmentVariable(key);
        const QString text = env.value(variable);
        if (text.isEmpty())
            continue;
        const QString origin = QStringLiteral("environment ") + variable;
        QVariant value;
        const QString error = convertText(key, text, &value);
        if (!error.isEmpty())
            Builder::fail(origin, QString(), error);
        builder.apply(key, value, origin, false);
    }

    for (const ConfigOverride &flag : overrides) {
        const QString origin
            = flag.origin.isEmpty() ? QString(QStringLiteral("--set ") + flag.key) : flag.origin;
        const SettingKey *key = findSettingKey(flag.key);
        if (!key)
            Builder::fail(origin, QString(), unknownKeyMessage(flag.key));
        QVariant value;
        const QString error = convertText(*key, flag.value, &value);
        if (!error.isEmpty())
            Builder::fail(origin, QString(), error);
        builder.apply(*key, value, origin, false);
    }

    checkTls(builder);

    Settings &s = builder.settings();
    if (s.dataDir.isEmpty())
        s.dataDir = defaultDataDir(env);
    if (s.database.isEmpty())
        s.database = QStringLiteral("sqlite:") + s.dataDir + QStringLiteral("/mcpgate.db");
    if (s.secretKeyFile.isEmpty())
        s.secretKeyFile = s.dataDir + QStringLiteral("/secret.key");
    if (s.demoCommand.isEmpty() && QCoreApplication::instance())
        s.demoCommand
            = QCoreApplication::applicationDirPath() + QStringLiteral("/mcpgate-demo-server");
    return s;
}

} // namespace mcpgate::config
