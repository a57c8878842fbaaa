#include "storage/secretbox.h"

#include "storage/storagelog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace mcpgate::storage {

namespace {

constexpr char formatVersion = 0x01;
constexpr int nonceSize = 12;
constexpr int tagSize = 16;
constexpr int headerSize = 1 + nonceSize;
// A key file is 32 raw bytes, or their base64 for people who write it with `openssl rand -base64`.
constexpr qint64 maxKeyFileSize = 256;

struct CipherContextFree
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

CipherContext newContext()
{
    CipherContext ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        throw SecretBoxError("cannot allocate a cipher context");
    return ctx;
}

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

unsigned char *bytes(QByteArray &data)
{
    return reinterpret_cast<unsigned char *>(data.data());
}

void wipe(QByteArray &data)
{
    if (!data.isEmpty())
        OPENSSL_cleanse(data.data(), static_cast<size_t>(data.size()));
    data.clear();
}

QByteArray randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(bytes(out), count) != 1)
        throw SecretBoxError("the system random number generator failed");
    return out;
}

// Accepts standard and URL-safe base64; returns an empty array for anything else.
QByteArray decodeBase64(const QByteArray &text)
{
    for (const auto encoding : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        auto result = QByteArray::fromBase64Encoding(
            text, encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (result)
            return *result;
    }
    return {};
}

std::string describePath(const QString &path)
{
    return QDir::toNativeSeparators(path).toStdString();
}

QByteArray keyFromFileContents(QByteArray contents, const QString &path)
{
    if (contents.size() == SecretBox::keySize)
        return contents;
    QByteArray key = decodeBase64(contents.trimmed());
    const qsizetype found = contents.size();
    wipe(contents);
    if (key.size() == SecretBox::keySize)
        return key;
    wipe(key);
    throw SecretBoxError("key file " + describePath(path) + " must hold exactly "
                         + std::to_string(SecretBox::keySize)
                         + " bytes (raw, or base64-encoded); it holds " + std::to_string(found)
                         + " bytes");
}

#ifdef Q_OS_UNIX

std::string systemError(int error)
{
    return qt_error_string(error).toStdString();
}

// Reads an existing key file, refusing one that group or others may access.
QByteArray readKeyFile(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw SecretBoxError("cannot open key file " + describePath(path) + ": "
                             + systemError(errno));
    struct FdCloser
    {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer {fd};

    struct stat info = {};
    if (::fstat(fd, &info) != 0)
        throw SecretBoxError("cannot inspect key file " + describePath(path) + ": "
                             + systemError(errno));
    if (!S_ISREG(info.st_mode))
        throw SecretBoxError("key file " + describePath(path) + " is not a regular file");
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw SecretBoxError("key file " + describePath(path)
                             + " is accessible by group or others; restrict it with chmod 600");
    if (info.st_size > maxKeyFileSize)
        throw SecretBoxError("key file " + describePath(path) + " is too large to be a key");

    QByteArray contents(maxKeyFileSize + 1, Qt::Uninitialized);
    qsizetype total = 0;
    while (total < contents.size()) {
        const ssize_t n
            = ::read(fd, contents.data() + total, static_cast<size_t>(contents.size() - total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            wipe(contents);
            throw SecretBoxError("cannot read key file " + describePath(path) + ": "
                                 + systemError(errno));
        }
        if (n == 0)
            break;
        total += n;
    }
    contents.truncate(total);
    return keyFromFileContents(contents, path);
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n
            = ::write(fd, data.constData() + written, static_cast<size_t>(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        written += n;
    }
    return true;
}

// Writes a fresh key to a private temporary file and hard-links it into place, so that a daemon
// starting at the same moment sees either no key file or a complete one. Returns false when
// another process created the key file first.
bool createKeyFile(const QString &path, const QByteArray &key)
{
    QByteArray temp = QFile::encodeName(path) + ".XXXXXX";
    const int fd = ::mkstemp(temp.data()); // mode 0600
    if (fd < 0)
        throw SecretBoxError("cannot create key file " + describePath(path) + ": "
                             + systemError(errno));
    const bool written
        = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && writeAll(fd, key) && ::fsync(fd) == 0;
    const int writeError = errno;
    ::close(fd);
    if (!written) {
        ::unlink(temp.constData());
        throw SecretBoxError("cannot write key file " + describePath(path) + ": "
                             + systemError(writeError));
    }
    const int linked = ::link(temp.constData(), QFile::encodeName(path).constData());
    const int linkError = errno;
    ::unlink(temp.constData());
    if (linked == 0)
        return true;
    if (linkError == EEXIST)
        return false;
    throw SecretBoxError("cannot create key file " + describePath(path) + ": "
                         + systemError(linkError));
}

#else

QByteArray readKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw SecretBoxError("cannot open key file " + describePath(path) + ": "
                             + file.errorString().toStdString());
    if (file.size() > maxKeyFileSize)
        throw SecretBoxError("key file " + describePath(path) + " is too large to be a key");
    return keyFromFileContents(file.readAll(), path);
}

bool createKeyFile(const QString &path, const QByteArray &key)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (QFileInfo::exists(path))
            return false;
        throw SecretBoxError("cannot create key file " + describePath(path) + ": "
                             + file.errorString().toStdString());
    }
    if (file.write(key) != key.size() || !file.flush())
        throw SecretBoxError("cannot write key file " + describePath(path) + ": "
                             + file.errorString().toStdString());
    return true;
}

#endif

QByteArray loadOrCreateKeyFile(const QString &path)
{
    if (path.isEmpty())
        throw SecretBoxError(std::string("no secret key: set ") + SecretBox::keyEnvironmentVariable
                             + " or give a key file path");
    if (!QFileInfo::exists(path)) {
        const QString dir = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(dir))
            throw SecretBoxError("cannot create directory " + describePath(dir)
                                 + " for the key file");
        QByteArray key = randomBytes(SecretBox::keySize);
        const bool created = createKeyFile(path, key);
        if (created) {
            qCInfo(lcStorage).noquote()
                << QStringLiteral("created a new secret key file %1; back it up: the "
                                  "stored upstream credentials cannot be read without it")
                       .arg(QDir::toNativeSeparators(path));
            return key;
        }
        wipe(key);
    }
    return readKeyFile(path);
}

} // namespace

std::unique_ptr<SecretBox> SecretBox::load(const QString &keyFilePath)
{
    const QByteArray fromEnvironment = qgetenv(keyEnvironmentVariable).trimmed();
    QByteArray key;
    if (!fromEnvironment.isEmpty()) {
        key = decodeBase64(fromEnvironment);
        if (key.size() != keySize) {
            wipe(key);
            throw SecretBoxError(std::string(keyEnvironmentVariable) + " must be the base64 of "
                                 + std::to_string(keySize) + " bytes");
        }
    } else {
        key = loadOrCreateKeyFile(keyFilePath);
    }
    auto box = std::make_unique<SecretBox>(key);
    wipe(key);
    return box;
}

SecretBox::SecretBox(const QByteArray &key)
    : m_key(key)
{
    if (m_key.size() != keySize) {
        wipe(m_key);
        throw SecretBoxError("a secret key must be " + std::to_string(keySize) + " bytes long");
    }
    m_key.detach();
}

SecretBox::~SecretBox()
{
    wipe(m_key);
}

QByteArray SecretBox::seal(const QByteArray &plaintext, const QByteArray &aad) const
{
    if (plaintext.size() > INT_MAX - headerSize - tagSize || aad.size() > INT_MAX)
        throw SecretBoxError("secret too large to seal");
    const int length = static_cast<int>(plaintext.size());
    QByteArray out(headerSize + length + tagSize, Qt::Uninitialized);
    out[0] = formatVersion;
    const QByteArray nonce = randomBytes(nonceSize);
    std::copy(nonce.cbegin(), nonce.cend(), out.begin() + 1);

    CipherContext ctx = newContext();
    unsigned char *const body = bytes(out) + headerSize;
    int produced = 0;
    int finalProduced = 0;
    const bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonceSize, nullptr) == 1
        && EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(m_key), bytes(nonce)) == 1
        && EVP_EncryptUpdate(ctx.get(), nullptr, &produced, bytes(aad),
                             static_cast<int>(aad.size()))
            == 1
        && EVP_EncryptUpdate(ctx.get(), body, &produced, bytes(plaintext), length) == 1
        && EVP_EncryptFinal_ex(ctx.get(), body + produced, &finalProduced) == 1
        && produced + finalProduced == length
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tagSize, body + length) == 1;
    if (!ok)
        throw SecretBoxError("encryption failed");
    return out;
}

QByteArray SecretBox::open(const QByteArray &blob, const QByteArray &aad) const
{
    if (blob.size() < headerSize + tagSize || blob.size() > INT_MAX || aad.size() > INT_MAX)
        throw SecretBoxError("sealed secret has the wrong size");
    if (blob.at(0) != formatVersion)
        throw SecretBoxError("sealed secret has an unknown format version");
    const int length = static_cast<int>(blob.size()) - headerSize - tagSize;
    const unsigned char *const nonce = bytes(blob) + 1;
    const unsigned char *const body = bytes(blob) + headerSize;
    // OpenSSL takes the expected tag through a non-const pointer but only reads it.
    QByteArray tag = blob.right(tagSize);

    QByteArray plaintext(length, Qt::Uninitialized);
    CipherContext ctx = newContext();
    int produced = 0;
    int finalProduced = 0;
    const bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonceSize, nullptr) == 1
        && EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(m_key), nonce) == 1
        && EVP_DecryptUpdate(ctx.get(), nullptr, &produced, bytes(aad),
                             static_cast<int>(aad.size()))
            == 1
        && EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &produced, body, length) == 1
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tagSize, bytes(tag)) == 1
        && EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + produced, &finalProduced) == 1
        && produced + finalProduced == length;
    if (!ok) {
        wipe(plaintext);
        throw SecretBoxError("sealed secret failed authentication: it was altered, belongs to "
                             "another record, or was sealed with another key");
    }
    return plaintext;
}

} // namespace mcpgate::storage
