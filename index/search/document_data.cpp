// bzpeer — encoding of the stored document data (see document_data.hpp).
#include "index/search/document_data.hpp"

namespace bzpeer::search {
namespace {

constexpr char kFormat = '\x01';

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_int(std::string& out, std::int64_t v) {
  // Zigzag: small negative numbers stay short.
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_strings(std::string& out, const std::vector<std::string>& v) {
  put_varint(out, v.size());
  for (const auto& s : v) put_string(out, s);
}

/// Reads from a byte range; any overrun sets ok = false and yields empty values.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return pos_ == data_.size(); }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) break;
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }

  std::int64_t integer() {
    const std::uint64_t z = varint();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }

  std::string string() {
    const std::uint64_t n = varint();
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }

  std::vector<std::string> strings() {
    const std::uint64_t n = varint();
    std::vector<std::string> v;
    // Each item takes at least one byte: a larger count is corrupt, not a reason to
    // reserve gigabytes.
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return v;
    }
    v.reserve(n);
    for (std::uint64_t i = 0; i < n && ok_; ++i) v.push_back(string());
    return v;
  }

  std::vector<std::int64_t> integers() {
    const std::uint64_t n = varint();
    std::vector<std::int64_t> v;
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return v;
    }
    v.reserve(n);
    for (std::uint64_t i = 0; i < n && ok_; ++i) v.push_back(integer());
    return v;
  }

  char byte() {
    if (pos_ >= data_.size()) {
      ok_ = false;
      return 0;
    }
    return data_[pos_++];
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_document_data(const IndexDocument& doc) {
  std::string out;
  out.reserve(64 + doc.title.size() + doc.abstract.size() + 24 * doc.author_names.size());
  out.push_back(kFormat);
  put_int(out, doc.work_id);
  put_string(out, doc.arxiv_id);
  put_string(out, doc.title);
  put_strings(out, doc.author_names);
  put_varint(out, doc.author_ids.size());
  for (auto id : doc.author_ids) put_int(out, id);
  put_strings(out, doc.categories);
  put_string(out, doc.type);
  put_string(out, doc.venue);
  put_string(out, doc.date);
  put_int(out, doc.year);
  out.push_back(doc.withdrawn ? '\x01' : '\x00');
  put_string(out, doc.abstract);
  return out;
}

std::optional<StoredWork> decode_document_data(std::string_view data) {
  Reader in(data);
  if (in.byte() != kFormat) return std::nullopt;
  StoredWork w;
  w.work_id = in.integer();
  w.arxiv_id = in.string();
  w.title = in.string();
  w.authors = in.strings();
  w.author_ids = in.integers();
  w.categories = in.strings();
  w.type = in.string();
  w.venue = in.string();
  w.date = in.string();
  w.year = static_cast<int>(in.integer());
  w.withdrawn = in.byte() != 0;
  w.abstract = in.string();
  if (!in.ok() || !in.at_end()) return std::nullopt;
  return w;
}

}  // namespace bzpeer::search
