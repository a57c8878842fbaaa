// Parses mcpgated's configuration file, a subset of TOML: [section] headers and key = value lines
// whose values are strings, integers, booleans or one-line arrays of strings.
#pragma once

#include <QMap>
#include <QString>
#include <QVariant>

class QByteArray;

namespace mcpgate::config {

class ConfigFile final
{
public:
    struct Entry
    {
        // QString, qint64, bool or QStringList.
        QVariant value;
        int line = 0;
        int column = 0; // of the value
    };

    // Throws ConfigSyntaxError at the first error. Accepts any bytes; text must be UTF-8.
    static ConfigFile parse(const QByteArray &text);
    // Reads and parses `path`; throws ConfigError ("PATH: reason" or "PATH:LINE:COLUMN: reason").
    static ConfigFile load(const QString &path);

    // "section.key" -> entry, in key order.
    const QMap<QString, Entry> &entries() const { return m_entries; }

private:
    QMap<QString, Entry> m_entries;
};

} // namespace mcpgate::config
