/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-message.h"

#include "ns3/abort.h"
#include "ns3/aisfc-error.h"

#include <map>
#include <sstream>

namespace ns3
{

namespace
{

bool
NeedsEscape(uint8_t c)
{
    return c <= 0x20 || c >= 0x7f || c == '.' || c == '\\';
}

char
Lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

std::string
LowerLabel(const std::string& label)
{
    std::string out = label;
    for (char& c : out)
    {
        c = Lower(c);
    }
    return out;
}

/// The canonical text of labels[from...]: the key of a suffix in the compression table.
std::string
SuffixKey(const std::vector<std::string>& labels, size_t from)
{
    std::vector<std::string> suffix;
    for (size_t i = from; i < labels.size(); ++i)
    {
        suffix.push_back(LowerLabel(labels[i]));
    }
    return DnsNameText(suffix);
}

size_t
AddressBytes(uint8_t prefix)
{
    return (size_t(prefix) + 7) / 8;
}

/// Writes a message, remembering where each name suffix went for compression.
class Writer
{
  public:
    explicit Writer(bool compress)
        : m_compress(compress)
    {
    }

    void U8(uint8_t v)
    {
        m_out.push_back(v);
    }

    void U16(uint16_t v)
    {
        m_out.push_back(uint8_t(v >> 8));
        m_out.push_back(uint8_t(v));
    }

    void U32(uint32_t v)
    {
        U16(uint16_t(v >> 16));
        U16(uint16_t(v));
    }

    void Raw(const std::vector<uint8_t>& bytes)
    {
        m_out.insert(m_out.end(), bytes.begin(), bytes.end());
    }

    void Name(const std::string& text, const std::string& place)
    {
        std::vector<std::string> labels = DnsNameLabels(text, place);
        for (size_t i = 0; i < labels.size(); ++i)
        {
            std::string key = SuffixKey(labels, i);
            if (m_compress)
            {
                auto it = m_suffixes.find(key);
                if (it != m_suffixes.end())
                {
                    U16(uint16_t(0xC000 | it->second));
                    return;
                }
                // Pointers have 14 bits of offset.
                if (m_out.size() < 0x4000)
                {
                    m_suffixes.emplace(key, uint16_t(m_out.size()));
                }
            }
            U8(uint8_t(labels[i].size()));
            m_out.insert(m_out.end(), labels[i].begin(), labels[i].end());
        }
        U8(0);
    }

    void Record(const DnsResourceRecord& rr, const std::string& place)
    {
        // What Parse() would refuse is refused here too.
        size_t want = rr.rrclass != DNS_CLASS_IN ? 0
                      : rr.type == DNS_TYPE_AAAA ? 16
                      : rr.type == DNS_TYPE_A    ? 4
                                                 : 0;
        if (want != 0 && rr.rdata.size() != want)
        {
            throw AisfcInputError(place + " rdata",
                                  DnsTypeName(rr.type) + " needs " + std::to_string(want) +
                                      " bytes, got " + std::to_string(rr.rdata.size()));
        }
        Name(rr.name, place + " name");
        U16(rr.type);
        U16(rr.rrclass);
        U32(rr.ttl);
        size_t lengthAt = m_out.size();
        U16(0);
        if (DnsResourceRecord::HasNameRdata(rr.type))
        {
            Name(rr.target, place + " target");
        }
        else
        {
            Raw(rr.rdata);
        }
        size_t length = m_out.size() - lengthAt - 2;
        if (length > 0xFFFF)
        {
            throw AisfcInputError(place + " rdata",
                                  std::to_string(length) + " bytes, at most 65535 fit RDLENGTH");
        }
        m_out[lengthAt] = uint8_t(length >> 8);
        m_out[lengthAt + 1] = uint8_t(length);
    }

    std::vector<uint8_t>& Out()
    {
        return m_out;
    }

  private:
    bool m_compress;
    std::vector<uint8_t> m_out;
    std::map<std::string, uint16_t> m_suffixes;
};

/// Reads a message from untrusted bytes; every read is bounds-checked.
class Reader
{
  public:
    Reader(const uint8_t* data, size_t size)
        : m_data(data),
          m_size(size)
    {
    }

    [[noreturn]] void Fail(size_t offset, const std::string& what) const
    {
        throw AisfcInputError("DNS offset " + std::to_string(offset), what);
    }

    void Need(size_t bytes, size_t limit, const char* what) const
    {
        if (m_pos > limit || limit - m_pos < bytes)
        {
            Fail(m_pos,
                 std::string("truncated ") + what + ": " + std::to_string(bytes) +
                     " bytes needed, " + std::to_string(limit > m_pos ? limit - m_pos : 0) +
                     " left");
        }
    }

    uint8_t U8(const char* what)
    {
        Need(1, m_size, what);
        return m_data[m_pos++];
    }

    uint16_t U16(const char* what)
    {
        Need(2, m_size, what);
        uint16_t v = uint16_t((m_data[m_pos] << 8) | m_data[m_pos + 1]);
        m_pos += 2;
        return v;
    }

    uint32_t U32(const char* what)
    {
        uint32_t high = U16(what);
        return (high << 16) | U16(what);
    }

    /**
     * Reads a possibly compressed name at the current position, whose in-place part must end
     * by limit; leaves the position after the in-place part.  A pointer must point before the
     * start of the run of labels it ends (the lowest offset read so far), so every jump goes
     * strictly backwards and a chain of pointers ends within the message.
     */
    std::string Name(size_t limit)
    {
        std::vector<std::string> labels;
        size_t p = m_pos;
        size_t runStart = m_pos;
        size_t end = 0;
        bool jumped = false;
        size_t wire = 1; // the root's zero byte
        while (true)
        {
            if (p >= limit)
            {
                Fail(p,
                     "name runs past the end of its " +
                         std::string(limit == m_size ? "message" : "RDATA"));
            }
            uint8_t length = m_data[p];
            if ((length & 0xC0) == 0xC0)
            {
                if (p + 1 >= limit)
                {
                    Fail(p, "compression pointer cut short");
                }
                size_t target = (size_t(length & 0x3F) << 8) | m_data[p + 1];
                if (target >= runStart)
                {
                    Fail(p,
                         "compression pointer to offset " + std::to_string(target) +
                             " does not point before the name (offset " + std::to_string(runStart) +
                             "): a loop or a forward pointer");
                }
                if (!jumped)
                {
                    end = p + 2;
                    jumped = true;
                }
                runStart = target;
                p = target;
                // Pointers may leave an RDATA for earlier parts of the message.
                limit = m_size;
                continue;
            }
            if ((length & 0xC0) != 0)
            {
                Fail(p,
                     "label length " + std::to_string(length) +
                         " over 63 (label types 0x40 and 0x80 are not defined)");
            }
            if (length == 0)
            {
                if (!jumped)
                {
                    end = p + 1;
                }
                break;
            }
            if (limit - p - 1 < length)
            {
                Fail(p, "label of " + std::to_string(length) + " bytes runs past the end");
            }
            wire += 1 + length;
            if (wire > DNS_MAX_NAME_WIRE)
            {
                Fail(p, "name longer than 255 bytes");
            }
            labels.emplace_back(reinterpret_cast<const char*>(m_data + p + 1), length);
            p += 1 + length;
        }
        m_pos = end;
        return DnsNameText(labels);
    }

    DnsResourceRecord Record(const std::string& section, bool* isOpt)
    {
        DnsResourceRecord rr;
        size_t start = m_pos;
        rr.name = Name(m_size);
        rr.type = U16((section + " TYPE").c_str());
        rr.rrclass = U16((section + " CLASS").c_str());
        rr.ttl = U32((section + " TTL").c_str());
        size_t lengthAt = m_pos;
        uint16_t length = U16((section + " RDLENGTH").c_str());
        if (m_size - m_pos < length)
        {
            Fail(lengthAt,
                 "RDLENGTH " + std::to_string(length) + " runs past the end (" +
                     std::to_string(m_size - m_pos) + " bytes left)");
        }
        size_t rdEnd = m_pos + length;
        auto exact = [&](size_t want, const char* type) {
            if (length != want)
            {
                Fail(lengthAt,
                     std::string(type) + " record with RDLENGTH " + std::to_string(length) +
                         ", not " + std::to_string(want));
            }
        };
        *isOpt = rr.type == DNS_TYPE_OPT;
        if (rr.type == DNS_TYPE_A && rr.rrclass == DNS_CLASS_IN)
        {
            exact(4, "A");
        }
        else if (rr.type == DNS_TYPE_AAAA && rr.rrclass == DNS_CLASS_IN)
        {
            exact(16, "AAAA");
        }
        if (DnsResourceRecord::HasNameRdata(rr.type))
        {
            rr.target = Name(rdEnd);
            if (m_pos != rdEnd)
            {
                Fail(m_pos, std::to_string(rdEnd - m_pos) + " bytes after the name in RDATA");
            }
            return rr;
        }
        if (*isOpt)
        {
            if (rr.name != ".")
            {
                Fail(start, "OPT record owned by " + rr.name + ", not the root");
            }
            CheckOptions(m_pos, rdEnd);
        }
        rr.rdata.assign(m_data + m_pos, m_data + rdEnd);
        m_pos = rdEnd;
        return rr;
    }

    /// Checks the EDNS options of an OPT RDATA in [from, to); Client Subnet per RFC 7871 §6.
    void CheckOptions(size_t from, size_t to) const
    {
        size_t p = from;
        while (p < to)
        {
            if (to - p < 4)
            {
                Fail(p, "EDNS option header cut short");
            }
            uint16_t code = uint16_t((m_data[p] << 8) | m_data[p + 1]);
            uint16_t length = uint16_t((m_data[p + 2] << 8) | m_data[p + 3]);
            if (to - p - 4 < length)
            {
                Fail(p + 2,
                     "EDNS option length " + std::to_string(length) + " runs past the RDATA");
            }
            const uint8_t* v = m_data + p + 4;
            if (code == DNS_OPTION_CLIENT_SUBNET)
            {
                if (length < 4)
                {
                    Fail(p + 2, "Client Subnet option of " + std::to_string(length) + " bytes");
                }
                uint16_t family = uint16_t((v[0] << 8) | v[1]);
                uint8_t source = v[2];
                uint8_t scope = v[3];
                uint8_t maxBits = family == 1 ? 32 : family == 2 ? 128 : 0;
                if (maxBits == 0)
                {
                    Fail(p + 4, "Client Subnet family " + std::to_string(family) + " unknown");
                }
                if (source > maxBits || scope > maxBits)
                {
                    Fail(p + 6,
                         "Client Subnet prefix lengths " + std::to_string(source) + "/" +
                             std::to_string(scope) + " over " + std::to_string(maxBits));
                }
                if (length - 4u != AddressBytes(source))
                {
                    Fail(p + 2,
                         "Client Subnet address of " + std::to_string(length - 4) +
                             " bytes for a /" + std::to_string(source) + " (needs " +
                             std::to_string(AddressBytes(source)) + ")");
                }
                if (source % 8 != 0 && length > 4 && (v[length - 1] & (0xFF >> (source % 8))) != 0)
                {
                    Fail(p + 4 + length - 1, "Client Subnet address has bits beyond its prefix");
                }
            }
            p += 4 + length;
        }
    }

    size_t Pos() const
    {
        return m_pos;
    }

  private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
};

const char*
OpcodeName(uint8_t opcode)
{
    switch (opcode)
    {
    case 0:
        return "query";
    case 1:
        return "iquery";
    case 2:
        return "status";
    case 4:
        return "notify";
    case 5:
        return "update";
    default:
        return "opcode?";
    }
}

} // namespace

std::vector<std::string>
DnsNameLabels(const std::string& name, const std::string& place)
{
    std::vector<std::string> labels;
    if (name.empty() || name == ".")
    {
        return labels;
    }
    std::string current;
    size_t wire = 1;
    auto finish = [&](size_t at) {
        if (current.empty())
        {
            throw AisfcInputError(place,
                                  "empty label at character " + std::to_string(at) + " of \"" +
                                      name + "\"");
        }
        wire += 1 + current.size();
        labels.push_back(current);
        current.clear();
    };
    for (size_t i = 0; i < name.size(); ++i)
    {
        char c = name[i];
        if (c == '\\')
        {
            if (i + 1 >= name.size())
            {
                throw AisfcInputError(place, "escape at the end of \"" + name + "\"");
            }
            if (isdigit(static_cast<unsigned char>(name[i + 1])))
            {
                if (name.size() - i < 4)
                {
                    throw AisfcInputError(place,
                                          "\\DDD escape needs three digits in \"" + name + "\"");
                }
                int value = 0;
                for (size_t k = 1; k <= 3; ++k)
                {
                    char d = name[i + k];
                    if (!isdigit(static_cast<unsigned char>(d)))
                    {
                        throw AisfcInputError(place,
                                              "\\DDD escape needs three digits in \"" + name +
                                                  "\"");
                    }
                    value = value * 10 + (d - '0');
                }
                if (value > 255)
                {
                    throw AisfcInputError(place,
                                          "\\" + name.substr(i + 1, 3) + " is not a byte in \"" +
                                              name + "\"");
                }
                current += char(value);
                i += 3;
            }
            else
            {
                current += name[i + 1];
                i += 1;
            }
        }
        else if (c == '.')
        {
            finish(i);
        }
        else
        {
            current += c;
        }
        if (current.size() > DNS_MAX_LABEL)
        {
            throw AisfcInputError(place, "label longer than 63 bytes in \"" + name + "\"");
        }
    }
    // A final dot ends the last label; "a." and "a" are the same name.
    if (!current.empty())
    {
        finish(name.size());
    }
    if (wire > DNS_MAX_NAME_WIRE)
    {
        throw AisfcInputError(place,
                              "name of " + std::to_string(wire) +
                                  " bytes on the wire, over 255: \"" + name + "\"");
    }
    return labels;
}

std::string
DnsNameText(const std::vector<std::string>& labels)
{
    if (labels.empty())
    {
        return ".";
    }
    std::string out;
    for (size_t i = 0; i < labels.size(); ++i)
    {
        if (i > 0)
        {
            out += '.';
        }
        for (char ch : labels[i])
        {
            uint8_t c = static_cast<uint8_t>(ch);
            if (!NeedsEscape(c))
            {
                out += ch;
            }
            else if (c == '.' || c == '\\')
            {
                out += '\\';
                out += ch;
            }
            else
            {
                char digits[5];
                snprintf(digits, sizeof(digits), "\\%03u", unsigned(c));
                out += digits;
            }
        }
    }
    return out;
}

std::string
DnsCanonicalName(const std::string& name, const std::string& place)
{
    std::vector<std::string> labels = DnsNameLabels(name, place);
    for (std::string& l : labels)
    {
        l = LowerLabel(l);
    }
    return DnsNameText(labels);
}

Ipv6Address
DnsTruncateAddress(const Ipv6Address& address, uint8_t bits)
{
    uint8_t b[16];
    address.GetBytes(b);
    for (int i = 0; i < 16; ++i)
    {
        int keep = int(bits) - 8 * i;
        if (keep <= 0)
        {
            b[i] = 0;
        }
        else if (keep < 8)
        {
            b[i] &= uint8_t(0xFF << (8 - keep));
        }
    }
    return Ipv6Address(b);
}

bool
DnsQuestion::operator==(const DnsQuestion& o) const
{
    return type == o.type && qclass == o.qclass &&
           DnsCanonicalName(name, "question") == DnsCanonicalName(o.name, "question");
}

DnsResourceRecord
DnsResourceRecord::Aaaa(const std::string& name, const Ipv6Address& address, uint32_t ttl)
{
    DnsResourceRecord rr;
    rr.name = name;
    rr.type = DNS_TYPE_AAAA;
    rr.ttl = ttl;
    rr.rdata.resize(16);
    address.GetBytes(rr.rdata.data());
    return rr;
}

DnsResourceRecord
DnsResourceRecord::A(const std::string& name, uint32_t address, uint32_t ttl)
{
    DnsResourceRecord rr;
    rr.name = name;
    rr.type = DNS_TYPE_A;
    rr.ttl = ttl;
    rr.rdata = {uint8_t(address >> 24),
                uint8_t(address >> 16),
                uint8_t(address >> 8),
                uint8_t(address)};
    return rr;
}

DnsResourceRecord
DnsResourceRecord::Cname(const std::string& name, const std::string& target, uint32_t ttl)
{
    DnsResourceRecord rr;
    rr.name = name;
    rr.type = DNS_TYPE_CNAME;
    rr.ttl = ttl;
    rr.target = target;
    return rr;
}

bool
DnsResourceRecord::HasNameRdata(uint16_t type)
{
    return type == DNS_TYPE_CNAME || type == DNS_TYPE_NS || type == DNS_TYPE_PTR;
}

Ipv6Address
DnsResourceRecord::GetAaaa() const
{
    NS_ABORT_MSG_IF(type != DNS_TYPE_AAAA || rdata.size() != 16,
                    "DnsResourceRecord::GetAaaa on a record that is not a valid AAAA");
    uint8_t b[16];
    std::copy(rdata.begin(), rdata.end(), b);
    return Ipv6Address(b);
}

bool
DnsResourceRecord::operator==(const DnsResourceRecord& o) const
{
    auto same = [](const std::string& a, const std::string& b) {
        return DnsCanonicalName(a, "record") == DnsCanonicalName(b, "record");
    };
    return type == o.type && rrclass == o.rrclass && ttl == o.ttl && rdata == o.rdata &&
           same(name, o.name) &&
           same(target.empty() ? "." : target, o.target.empty() ? "." : o.target);
}

bool
DnsClientSubnet::operator==(const DnsClientSubnet& o) const
{
    return address == o.address && sourcePrefix == o.sourcePrefix && scopePrefix == o.scopePrefix;
}

uint16_t
DnsMessage::GetFlags() const
{
    return uint16_t((qr ? 0x8000 : 0) | ((opcode & 0xF) << 11) | (aa ? 0x0400 : 0) |
                    (tc ? 0x0200 : 0) | (rd ? 0x0100 : 0) | (ra ? 0x0080 : 0) | ((z & 0x7) << 4) |
                    (rcode & 0xF));
}

void
DnsMessage::SetFlags(uint16_t flags)
{
    qr = flags & 0x8000;
    opcode = (flags >> 11) & 0xF;
    aa = flags & 0x0400;
    tc = flags & 0x0200;
    rd = flags & 0x0100;
    ra = flags & 0x0080;
    z = (flags >> 4) & 0x7;
    rcode = flags & 0xF;
}

std::vector<uint8_t>
DnsMessage::Serialize(bool compress) const
{
    auto count = [](size_t n, const char* section) {
        if (n > 0xFFFF)
        {
            throw AisfcInputError(section, std::to_string(n) + " entries, at most 65535");
        }
        return uint16_t(n);
    };
    Writer w(compress);
    w.U16(id);
    w.U16(GetFlags());
    w.U16(count(questions.size(), "questions"));
    w.U16(count(answers.size(), "answers"));
    w.U16(count(authorities.size(), "authorities"));
    w.U16(count(additionals.size(), "additionals"));
    for (size_t i = 0; i < questions.size(); ++i)
    {
        w.Name(questions[i].name, "question " + std::to_string(i) + " name");
        w.U16(questions[i].type);
        w.U16(questions[i].qclass);
    }
    for (size_t i = 0; i < answers.size(); ++i)
    {
        w.Record(answers[i], "answer " + std::to_string(i));
    }
    for (size_t i = 0; i < authorities.size(); ++i)
    {
        w.Record(authorities[i], "authority " + std::to_string(i));
    }
    for (size_t i = 0; i < additionals.size(); ++i)
    {
        w.Record(additionals[i], "additional " + std::to_string(i));
    }
    if (w.Out().size() > 0xFFFF)
    {
        throw AisfcInputError("DNS message",
                              std::to_string(w.Out().size()) +
                                  " bytes, over the 65535 a UDP datagram holds");
    }
    return std::move(w.Out());
}

DnsMessage
DnsMessage::Parse(const uint8_t* data, size_t size)
{
    Reader r(data, size);
    DnsMessage m;
    m.id = r.U16("header ID");
    m.SetFlags(r.U16("header flags"));
    uint16_t qd = r.U16("header QDCOUNT");
    uint16_t an = r.U16("header ANCOUNT");
    uint16_t ns = r.U16("header NSCOUNT");
    uint16_t ar = r.U16("header ARCOUNT");
    for (uint16_t i = 0; i < qd; ++i)
    {
        DnsQuestion q;
        q.name = r.Name(size);
        q.type = r.U16("question QTYPE");
        q.qclass = r.U16("question QCLASS");
        m.questions.push_back(q);
    }
    bool isOpt = false;
    for (uint16_t i = 0; i < an; ++i)
    {
        size_t at = r.Pos();
        m.answers.push_back(r.Record("answer", &isOpt));
        if (isOpt)
        {
            r.Fail(at, "OPT record in the answer section");
        }
    }
    for (uint16_t i = 0; i < ns; ++i)
    {
        size_t at = r.Pos();
        m.authorities.push_back(r.Record("authority", &isOpt));
        if (isOpt)
        {
            r.Fail(at, "OPT record in the authority section");
        }
    }
    bool seenOpt = false;
    for (uint16_t i = 0; i < ar; ++i)
    {
        size_t at = r.Pos();
        m.additionals.push_back(r.Record("additional", &isOpt));
        if (isOpt && seenOpt)
        {
            r.Fail(at, "a second OPT record");
        }
        seenOpt = seenOpt || isOpt;
    }
    if (r.Pos() != size)
    {
        r.Fail(r.Pos(), std::to_string(size - r.Pos()) + " bytes after the last record");
    }
    return m;
}

std::optional<DnsMessage>
DnsMessage::TryParse(const uint8_t* data, size_t size, std::string* error)
{
    try
    {
        return Parse(data, size);
    }
    catch (const AisfcInputError& e)
    {
        if (error)
        {
            *error = e.what();
        }
        return std::nullopt;
    }
}

const DnsResourceRecord*
DnsMessage::GetOpt() const
{
    for (const DnsResourceRecord& rr : additionals)
    {
        if (rr.type == DNS_TYPE_OPT)
        {
            return &rr;
        }
    }
    return nullptr;
}

std::optional<DnsClientSubnet>
DnsMessage::GetClientSubnet() const
{
    const DnsResourceRecord* opt = GetOpt();
    if (!opt)
    {
        return std::nullopt;
    }
    const std::vector<uint8_t>& d = opt->rdata;
    size_t p = 0;
    while (d.size() - p >= 4)
    {
        uint16_t code = uint16_t((d[p] << 8) | d[p + 1]);
        uint16_t length = uint16_t((d[p + 2] << 8) | d[p + 3]);
        if (d.size() - p - 4 < length)
        {
            return std::nullopt;
        }
        if (code == DNS_OPTION_CLIENT_SUBNET && length >= 4)
        {
            const uint8_t* v = d.data() + p + 4;
            uint16_t family = uint16_t((v[0] << 8) | v[1]);
            uint8_t source = v[2];
            if (family != 2 || source > 128 || v[3] > 128 || length - 4u != AddressBytes(source))
            {
                return std::nullopt;
            }
            uint8_t b[16] = {};
            std::copy(v + 4, v + length, b);
            DnsClientSubnet s;
            s.address = DnsTruncateAddress(Ipv6Address(b), source);
            s.sourcePrefix = source;
            s.scopePrefix = v[3];
            return s;
        }
        p += 4 + length;
    }
    return std::nullopt;
}

void
DnsMessage::SetClientSubnet(const DnsClientSubnet& subnet, uint16_t udpPayloadSize)
{
    NS_ABORT_MSG_IF(subnet.sourcePrefix > 128 || subnet.scopePrefix > 128,
                    "DnsMessage::SetClientSubnet: prefix lengths over 128");
    std::vector<uint8_t> option;
    size_t nAddress = AddressBytes(subnet.sourcePrefix);
    uint16_t length = uint16_t(4 + nAddress);
    option = {0,
              uint8_t(DNS_OPTION_CLIENT_SUBNET),
              uint8_t(length >> 8),
              uint8_t(length),
              0,
              2,
              subnet.sourcePrefix,
              subnet.scopePrefix};
    uint8_t b[16];
    DnsTruncateAddress(subnet.address, subnet.sourcePrefix).GetBytes(b);
    option.insert(option.end(), b, b + nAddress);

    DnsResourceRecord* opt = nullptr;
    for (DnsResourceRecord& rr : additionals)
    {
        if (rr.type == DNS_TYPE_OPT)
        {
            opt = &rr;
        }
    }
    if (!opt)
    {
        DnsResourceRecord rr;
        rr.name = ".";
        rr.type = DNS_TYPE_OPT;
        rr.rrclass = udpPayloadSize;
        rr.ttl = 0;
        additionals.push_back(rr);
        opt = &additionals.back();
    }
    // Keep the other options, drop an earlier Client Subnet.
    std::vector<uint8_t> kept;
    const std::vector<uint8_t>& d = opt->rdata;
    size_t p = 0;
    while (d.size() - p >= 4)
    {
        uint16_t code = uint16_t((d[p] << 8) | d[p + 1]);
        size_t len = std::min<size_t>(uint16_t((d[p + 2] << 8) | d[p + 3]), d.size() - p - 4);
        if (code != DNS_OPTION_CLIENT_SUBNET)
        {
            kept.insert(kept.end(), d.begin() + p, d.begin() + p + 4 + len);
        }
        p += 4 + len;
    }
    kept.insert(kept.end(), option.begin(), option.end());
    opt->rdata = kept;
}

std::string
DnsMessage::ToString() const
{
    std::ostringstream os;
    os << "id " << id << ' ' << (qr ? "response " + DnsRcodeName(rcode) : OpcodeName(opcode));
    std::string flags;
    flags += aa ? " aa" : "";
    flags += tc ? " tc" : "";
    flags += rd ? " rd" : "";
    flags += ra ? " ra" : "";
    os << flags << ':';
    for (const DnsQuestion& q : questions)
    {
        os << ' ' << q.name << ' ' << DnsTypeName(q.type);
    }
    for (const DnsResourceRecord& rr : answers)
    {
        os << " -> ";
        if (rr.type == DNS_TYPE_AAAA && rr.rdata.size() == 16)
        {
            os << rr.GetAaaa();
        }
        else if (DnsResourceRecord::HasNameRdata(rr.type))
        {
            os << DnsTypeName(rr.type) << ' ' << rr.target;
        }
        else
        {
            os << DnsTypeName(rr.type) << " (" << rr.rdata.size() << " bytes)";
        }
        os << " ttl " << rr.ttl;
    }
    if (auto ecs = GetClientSubnet())
    {
        os << " ecs " << ecs->address << '/' << unsigned(ecs->sourcePrefix) << '/'
           << unsigned(ecs->scopePrefix);
    }
    return os.str();
}

std::string
DnsRcodeName(uint8_t rcode)
{
    switch (rcode)
    {
    case DNS_RCODE_NOERROR:
        return "NOERROR";
    case DNS_RCODE_FORMERR:
        return "FORMERR";
    case DNS_RCODE_SERVFAIL:
        return "SERVFAIL";
    case DNS_RCODE_NXDOMAIN:
        return "NXDOMAIN";
    case DNS_RCODE_NOTIMP:
        return "NOTIMP";
    case DNS_RCODE_REFUSED:
        return "REFUSED";
    default:
        return "RCODE" + std::to_string(rcode);
    }
}

std::string
DnsTypeName(uint16_t type)
{
    switch (type)
    {
    case DNS_TYPE_A:
        return "A";
    case DNS_TYPE_NS:
        return "NS";
    case DNS_TYPE_CNAME:
        return "CNAME";
    case DNS_TYPE_PTR:
        return "PTR";
    case DNS_TYPE_AAAA:
        return "AAAA";
    case DNS_TYPE_OPT:
        return "OPT";
    case DNS_TYPE_ANY:
        return "ANY";
    default:
        return "TYPE" + std::to_string(type);
    }
}

} // namespace ns3
