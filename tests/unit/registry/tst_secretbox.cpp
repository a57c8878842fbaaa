// SecretBox: AES-256-GCM sealing of stored secrets, and where its key comes from.
#include "storage/secretbox.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sys/stat.h>

using mcpgate::storage::SecretBox;
using mcpgate::storage::SecretBoxError;

namespace {

QByteArray testKey(char fill = 'k')
{
    return QByteArray(SecretBox::keySize, fill);
}

bool writeFile(const QString &path, const QByteArray &contents, QFileDevice::Permissions mode)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (file.write(contents) != contents.size())
        return false;
    file.close();
    return file.setPermissions(mode);
}

mode_t fileMode(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

// Runs `body` and returns the SecretBoxError message it threw, or a null string when it threw
// nothing.
template<typename Body> QString errorOf(Body body)
{
    try {
        body();
    } catch (const SecretBoxError &error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class TestSecretBox : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sealsAndOpens_data();
    void sealsAndOpens();
    void formatIsVersionNonceCiphertextTag();
    void everySealUsesAFreshNonce();
    void refusesEveryAlteredByte();
    void refusesAnotherAad();
    void refusesAnotherKey();
    void refusesMalformedBlobs_data();
    void refusesMalformedBlobs();
    void refusesKeysOfTheWrongLength();

    void createsAPrivateKeyFileOnce();
    void createsTheKeyFileDirectory();
    void readsARawOrBase64KeyFile();
    void refusesAKeyFileOthersCanAccess_data();
    void refusesAKeyFileOthersCanAccess();
    void refusesAKeyFileOfTheWrongLength();
    void environmentKeyWinsOverTheFile();
    void refusesABadEnvironmentKey_data();
    void refusesABadEnvironmentKey();
    void emptyEnvironmentKeyFallsBackToTheFile();

private:
    // A fresh directory per test function.
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSecretBox::init()
{
    qunsetenv(SecretBox::keyEnvironmentVariable);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecretBox::cleanup()
{
    qunsetenv(SecretBox::keyEnvironmentVariable);
}

void TestSecretBox::sealsAndOpens_data()
{
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("aad");
    QTest::newRow("token") << QByteArray("ghp_abcdefghijklmnop") << QByteArray("server-1");
    QTest::newRow("empty plaintext") << QByteArray("") << QByteArray("server-1");
    QTest::newRow("empty aad") << QByteArray("secret") << QByteArray();
    QTest::newRow("binary") << QByteArray("\x00\x01\xff\x80 \n", 6) << QByteArray("x");
    QTest::newRow("large") << QByteArray(100000, 'z') << QByteArray("y");
}

void TestSecretBox::sealsAndOpens()
{
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, aad);
    const SecretBox box(testKey());
    const QByteArray sealed = box.seal(plaintext, aad);
    QCOMPARE(box.open(sealed, aad), plaintext);
    if (plaintext.size() >= 4)
        QVERIFY(!sealed.contains(plaintext));
}

void TestSecretBox::formatIsVersionNonceCiphertextTag()
{
    const SecretBox box(testKey());
    const QByteArray plaintext("hello world");
    const QByteArray sealed = box.seal(plaintext, "id");
    QCOMPARE(sealed.size(), 1 + 12 + plaintext.size() + 16);
    QCOMPARE(sealed.at(0), char(0x01));
}

void TestSecretBox::everySealUsesAFreshNonce()
{
    const SecretBox box(testKey());
    const QByteArray first = box.seal("same", "id");
    const QByteArray second = box.seal("same", "id");
    QVERIFY(first != second);
    QVERIFY(first.mid(1, 12) != second.mid(1, 12));
}

void TestSecretBox::refusesEveryAlteredByte()
{
    const SecretBox box(testKey());
    const QByteArray sealed = box.seal("a secret value", "row-7");
    for (qsizetype i = 0; i < sealed.size(); ++i) {
        QByteArray altered = sealed;
        altered[i] = char(altered.at(i) ^ 0x01);
        QVERIFY2(!errorOf([&] { box.open(altered, "row-7"); }).isNull(),
                 qPrintable(QStringLiteral("byte %1 altered").arg(i)));
    }
    QVERIFY(!errorOf([&] { box.open(sealed + 'x', "row-7"); }).isNull());
    QVERIFY(!errorOf([&] { box.open(sealed.chopped(1), "row-7"); }).isNull());
}

void TestSecretBox::refusesAnotherAad()
{
    const SecretBox box(testKey());
    const QByteArray sealed = box.seal("a secret value", "row-7");
    const QString error = errorOf([&] { box.open(sealed, "row-8"); });
    QVERIFY(error.contains(QLatin1String("authentication")));
    QVERIFY(!errorOf([&] { box.open(sealed, ""); }).isNull());
}

void TestSecretBox::refusesAnotherKey()
{
    const QByteArray sealed = SecretBox(testKey('a')).seal("a secret value", "row-7");
    const SecretBox other(testKey('b'));
    QVERIFY(!errorOf([&] { other.open(sealed, "row-7"); }).isNull());
}

void TestSecretBox::refusesMalformedBlobs_data()
{
    QTest::addColumn<QByteArray>("blob");
    const QByteArray valid = SecretBox(testKey()).seal("payload", "id");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("version only") << QByteArray("\x01");
    QTest::newRow("no tag") << valid.left(1 + 12);
    QTest::newRow("one short of header and tag") << valid.left(1 + 12 + 15);
    QByteArray version2 = valid;
    version2[0] = 0x02;
    QTest::newRow("version 2") << version2;
    QByteArray version0 = valid;
    version0[0] = 0x00;
    QTest::newRow("version 0") << version0;
}

void TestSecretBox::refusesMalformedBlobs()
{
    QFETCH(QByteArray, blob);
    const SecretBox box(testKey());
    QVERIFY(!errorOf([&] { box.open(blob, "id"); }).isNull());
}

void TestSecretBox::refusesKeysOfTheWrongLength()
{
    QVERIFY(!errorOf([] { SecretBox box(QByteArray(31, 'k')); }).isNull());
    QVERIFY(!errorOf([] { SecretBox box(QByteArray(33, 'k')); }).isNull());
    QVERIFY(!errorOf([] { SecretBox box {QByteArray()}; }).isNull());
    QVERIFY(errorOf([] { SecretBox box(QByteArray(32, 'k')); }).isNull());
}

void TestSecretBox::createsAPrivateKeyFileOnce()
{
    const QString path = m_dir->filePath(QStringLiteral("secret.key"));
    QVERIFY(!QFileInfo::exists(path));
    const auto first = SecretBox::load(path);
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(QFileInfo(path).size(), qint64(SecretBox::keySize));
    QCOMPARE(fileMode(path), mode_t(0600));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray key = file.readAll();
    QVERIFY(key != QByteArray(SecretBox::keySize, '\0'));

    // A second start reads the same key instead of making a new one.
    const auto second = SecretBox::load(path);
    QCOMPARE(second->open(first->seal("persisted", "id"), "id"), QByteArray("persisted"));
    QCOMPARE(SecretBox(key).open(first->seal("raw", "id"), "id"), QByteArray("raw"));
    // The temporary file the key was written through is gone.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files),
             QStringList {QStringLiteral("secret.key")});
}

void TestSecretBox::createsTheKeyFileDirectory()
{
    const QString path = m_dir->filePath(QStringLiteral("nested/dir/secret.key"));
    const auto box = SecretBox::load(path);
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(fileMode(path), mode_t(0600));
}

void TestSecretBox::readsARawOrBase64KeyFile()
{
    const QByteArray key
        = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const QByteArray sealed = SecretBox(key).seal("value", "id");
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

    const QString raw = m_dir->filePath(QStringLiteral("raw.key"));
    QVERIFY(writeFile(raw, key, owner));
    QCOMPARE(SecretBox::load(raw)->open(sealed, "id"), QByteArray("value"));

    const QString encoded = m_dir->filePath(QStringLiteral("base64.key"));
    QVERIFY(writeFile(encoded, key.toBase64() + '\n', owner));
    QCOMPARE(SecretBox::load(encoded)->open(sealed, "id"), QByteArray("value"));
}

void TestSecretBox::refusesAKeyFileOthersCanAccess_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("0644") << 0644;
    QTest::newRow("0640") << 0640;
    QTest::newRow("0604") << 0604;
    QTest::newRow("0620") << 0620;
}

void TestSecretBox::refusesAKeyFileOthersCanAccess()
{
    QFETCH(int, mode);
    const QString path = m_dir->filePath(QStringLiteral("open.key"));
    QVERIFY(writeFile(path, testKey(), QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
    const QString error = errorOf([&] { SecretBox::load(path); });
    QVERIFY2(error.contains(QLatin1String("group or others")), qPrintable(error));
    QVERIFY(error.contains(path));
}

void TestSecretBox::refusesAKeyFileOfTheWrongLength()
{
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    const QString shortKey = m_dir->filePath(QStringLiteral("short.key"));
    QVERIFY(writeFile(shortKey, QByteArray(16, 'k'), owner));
    QVERIFY(errorOf([&] { SecretBox::load(shortKey); }).contains(QLatin1String("32 bytes")));

    const QString empty = m_dir->filePath(QStringLiteral("empty.key"));
    QVERIFY(writeFile(empty, QByteArray(), owner));
    QVERIFY(!errorOf([&] { SecretBox::load(empty); }).isNull());

    const QString shortBase64 = m_dir->filePath(QStringLiteral("short64.key"));
    QVERIFY(writeFile(shortBase64, QByteArray(16, 'k').toBase64(), owner));
    QVERIFY(!errorOf([&] { SecretBox::load(shortBase64); }).isNull());
}

void TestSecretBox::environmentKeyWinsOverTheFile()
{
    const QByteArray key = testKey('e');
    qputenv(SecretBox::keyEnvironmentVariable, key.toBase64());
    const QString path = m_dir->filePath(QStringLiteral("unused.key"));
    const auto box = SecretBox::load(path);
    QVERIFY(!QFileInfo::exists(path));
    QCOMPARE(SecretBox(key).open(box->seal("env", "id"), "id"), QByteArray("env"));

    // URL-safe base64 works too.
    const QByteArray other
        = QByteArray::fromHex("fbfffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1");
    qputenv(SecretBox::keyEnvironmentVariable, other.toBase64(QByteArray::Base64UrlEncoding));
    QCOMPARE(SecretBox(other).open(SecretBox::load(path)->seal("url", "id"), "id"),
             QByteArray("url"));
}

void TestSecretBox::refusesABadEnvironmentKey_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("16 bytes") << QByteArray(16, 'k').toBase64();
    QTest::newRow("33 bytes") << QByteArray(33, 'k').toBase64();
    QTest::newRow("not base64") << QByteArray("this is not base64 at all!!");
}

void TestSecretBox::refusesABadEnvironmentKey()
{
    QFETCH(QByteArray, value);
    qputenv(SecretBox::keyEnvironmentVariable, value);
    const QString error = errorOf([&] { SecretBox::load(m_dir->filePath(QStringLiteral("k"))); });
    QVERIFY2(error.contains(QLatin1String("MCPGATE_SECRET_KEY")), qPrintable(error));
}

void TestSecretBox::emptyEnvironmentKeyFallsBackToTheFile()
{
    qputenv(SecretBox::keyEnvironmentVariable, QByteArray());
    const QString path = m_dir->filePath(QStringLiteral("fallback.key"));
    const auto box = SecretBox::load(path);
    QVERIFY(QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestSecretBox)
#include "tst_secretbox.moc"
