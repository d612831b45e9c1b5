#include "generate/playlists_generator.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace earshot::generate {
namespace {

// ---------------------------------------------------------------------------
// Randomness. Everything below is integer arithmetic with fixed widths, so the
// output is the same on every platform and compiler (no floating point: FMA
// contraction differs between targets).

constexpr uint64_t Fmix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A well-mixed 64-bit key for (a, b): derives independent sub-seeds.
constexpr uint64_t Mix(uint64_t a, uint64_t b) {
  return Fmix64(Fmix64(a + 0x9e3779b97f4a7c15ULL) ^ (b * 0xd6e8feb86659fd93ULL + 0x2545f4914f6cdd1dULL));
}

// xoshiro256**, seeded through splitmix64 as its authors recommend.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      word = Fmix64(seed);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) for n <= 2^32 (multiply-shift; the bias is < n / 2^32).
  uint64_t Below(uint64_t n) { return ((Next() >> 32) * n) >> 32; }

  // In [0, n), skewed towards 0: the density falls like 1/sqrt(x), so the
  // first 1% of the range gets about 10% of the draws (popular works, heavy
  // listeners, top playlist positions).
  uint64_t Skewed(uint64_t n) {
    const uint64_t u = Next() >> 32;
    return (((u * u) >> 32) * n) >> 32;
  }

  // True with probability per_10000 / 10000.
  bool Chance(uint64_t per_10000) { return Below(10000) < per_10000; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
};

// Sub-seed tags, one per independent stream.
enum class Stream : uint64_t { kEvents = 1, kSpecials, kPlaylists, kLineStyle, kMissingUsers };

uint64_t StreamSeed(uint64_t seed, Stream stream) { return Mix(seed, static_cast<uint64_t>(stream)); }

// ---------------------------------------------------------------------------
// Text helpers: digits written straight into a caller's buffer.

char* PutPadded(char* p, uint64_t value, int width) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  (void)ec;  // 24 bytes always hold a uint64_t
  for (int n = static_cast<int>(end - digits); n < width; ++n) *p++ = '0';
  std::memcpy(p, digits, static_cast<size_t>(end - digits));
  return p + (end - digits);
}

char* PutUnsigned(char* p, uint64_t value) { return PutPadded(p, value, 0); }

char* PutString(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

std::string WorkId(uint32_t work) {
  char buf[24];
  buf[0] = 'w';
  char* end = PutPadded(buf + 1, work + 1, 5);
  return {buf, static_cast<size_t>(end - buf)};
}

char* PutUserId(char* p, uint64_t user) {
  *p++ = 'u';
  return PutPadded(p, user + 1, 7);
}

// Track ids look random but every track belongs to exactly one work: the
// (work, recording) pair is scrambled by a bijection of [0, 9,000,000).
char* PutTrackId(char* p, uint32_t work, uint64_t recording) {
  const uint64_t raw = static_cast<uint64_t>(work) * 10 + recording;
  *p++ = 't';
  return PutPadded(p, 1000000 + (raw * 7919) % 9000000, 7);
}

// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

char* PutIso8601(char* p, int64_t epoch_seconds) {
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(epoch_seconds / 86400, year, month, day);
  const int64_t secs = epoch_seconds % 86400;
  p = PutPadded(p, static_cast<uint64_t>(year), 4);
  *p++ = '-';
  p = PutPadded(p, month, 2);
  *p++ = '-';
  p = PutPadded(p, day, 2);
  *p++ = 'T';
  p = PutPadded(p, static_cast<uint64_t>(secs / 3600), 2);
  *p++ = ':';
  p = PutPadded(p, static_cast<uint64_t>(secs / 60 % 60), 2);
  *p++ = ':';
  p = PutPadded(p, static_cast<uint64_t>(secs % 60), 2);
  *p++ = 'Z';
  return p;
}

// JSON string body (without quotes). With ascii_only, non-ASCII code points
// become \uXXXX escapes, as Python's json.dumps writes them by default.
void AppendJsonEscaped(std::string& out, std::string_view s, bool ascii_only) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto put_u = [&out](uint32_t unit) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xf];
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      put_u(c);
    } else if (c < 0x80 || !ascii_only) {
      out += static_cast<char>(c);
    } else {
      // The catalogue is well-formed UTF-8 (it is compiled in).
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      uint32_t cp = c & (0x3f >> extra);
      for (; extra > 0 && i + 1 < s.size(); --extra) cp = (cp << 6) | (static_cast<unsigned char>(s[++i]) & 0x3f);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        put_u(0xd800 + (cp >> 10));
        put_u(0xdc00 + (cp & 0x3ff));
      } else {
        put_u(cp);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The work catalogue: a few famous works first (the most streamed, since
// draws are skewed towards low indices), then works composed from each
// composer's forms. A work's title depends only on its index, never on the
// seed, so a work id means the same piece in every generated data set.

constexpr uint32_t kWorks = 4000;

struct FamousWork {
  const char* title;
  const char* composer;
};

constexpr FamousWork kFamousWorks[] = {
    {"Bagatelle No. 25 in A minor, WoO 59 \"Für Elise\"", "Ludwig van Beethoven"},
    {"Symphony No. 9 in E minor, Op. 95 \"From the New World\"", "Antonín Dvořák"},
    {"Le carnaval des animaux: XIII. Le cygne", "Camille Saint-Saëns"},
    {"Suite bergamasque, L. 75: III. Clair de lune", "Claude Debussy"},
    {"Gymnopédie No. 1", "Erik Satie"},
    {"Boléro, M. 81", "Maurice Ravel"},
    {"Má vlast: II. Vltava", "Bedřich Smetana"},
    {"Peer Gynt Suite No. 1, Op. 46: I. Morning Mood", "Edvard Grieg"},
    {"Symphony No. 5 in C minor, Op. 67", "Ludwig van Beethoven"},
    {"Piano Sonata No. 14 in C-sharp minor, Op. 27 No. 2 \"Moonlight\"", "Ludwig van Beethoven"},
    {"Eine kleine Nachtmusik, K. 525: I. Allegro", "Wolfgang Amadeus Mozart"},
    {"Requiem in D minor, K. 626: III. Sequentia: Lacrimosa", "Wolfgang Amadeus Mozart"},
    {"Cello Suite No. 1 in G major, BWV 1007: I. Prélude", "Johann Sebastian Bach"},
    {"Goldberg Variations, BWV 988: Aria", "Johann Sebastian Bach"},
    {"Violin Concerto in F minor, RV 297 \"Winter\": II. Largo", "Antonio Vivaldi"},
    {"Canon and Gigue in D major, P. 37", "Johann Pachelbel"},
    {"Nocturne in E-flat major, Op. 9 No. 2", "Frédéric Chopin"},
    {"Étude in C minor, Op. 10 No. 12 \"Revolutionary\"", "Frédéric Chopin"},
    {"Danse macabre, Op. 40", "Camille Saint-Saëns"},
    {"Hungarian Dance No. 5 in F-sharp minor, WoO 1", "Johannes Brahms"},
    {"The Nutcracker, Op. 71: \"Waltz of the Flowers\"", "Pyotr Ilyich Tchaikovsky"},
    {"Liebestraum No. 3 in A-flat major, S. 541", "Franz Liszt"},
    {"Kinderszenen, Op. 15: VII. Träumerei", "Robert Schumann"},
    {"Slavonic Dance in E minor, Op. 72 No. 2", "Antonín Dvořák"},
    {"Rusalka, Op. 114: \"Song to the Moon\"", "Antonín Dvořák"},
    {"The Lark Ascending", "Ralph Vaughan Williams"},
    {"Adagio for Strings, Op. 11", "Samuel Barber"},
    {"Spiegel im Spiegel", "Arvo Pärt"},
    {"Symphony No. 3, Op. 36 \"Symphony of Sorrowful Songs\": II. Lento e largo", "Henryk Górecki"},
    {"Pavane pour une infante défunte, M. 19", "Maurice Ravel"},
    {"Requiem in D minor, Op. 48: IV. Pie Jesu", "Gabriel Fauré"},
    {"Ellens dritter Gesang, D. 839 \"Ave Maria\"", "Franz Schubert"},
    {"Rhapsody on a Theme of Paganini, Op. 43: Variation XVIII", "Sergei Rachmaninoff"},
    {"Piano Concerto No. 2 in C minor, Op. 18: II. Adagio sostenuto", "Sergei Rachmaninoff"},
    {"Finlandia, Op. 26", "Jean Sibelius"},
    {"Carmen, Act I: \"L'amour est un oiseau rebelle\" (Habanera)", "Georges Bizet"},
    {"Messiah, HWV 56: \"Hallelujah\"", "George Frideric Handel"},
    {"Concierto de Aranjuez: II. Adagio", "Joaquín Rodrigo"},
    {"Suite española, Op. 47: V. Asturias (Leyenda)", "Isaac Albéniz"},
    {"Háry János Suite: V. Intermezzo", "Zoltán Kodály"},
    {"Romanian Folk Dances, Sz. 56", "Béla Bartók"},
    {"Bachianas Brasileiras No. 5, W389: I. Ária (Cantilena)", "Heitor Villa-Lobos"},
    {"Symphonie fantastique, Op. 14: IV. Marche au supplice", "Hector Berlioz"},
    {"Die Zauberflöte, K. 620: \"Der Hölle Rache kocht in meinem Herzen\"", "Wolfgang Amadeus Mozart"},
    {"Carmina Burana: \"O Fortuna\"", "Carl Orff"},
    {"Enigma Variations, Op. 36: IX. \"Nimrod\"", "Edward Elgar"},
    {"Gnossienne No. 1", "Erik Satie"},
    {"Cantique de Jean Racine, Op. 11", "Gabriel Fauré"},
};

enum Family : uint8_t {
  kOrchestral = 1,
  kPiano = 2,
  kChamber = 4,
  kConcerto = 8,
  kVocal = 16,
  kBaroque = 32,
};

struct ComposerSpec {
  const char* name;
  const char* catalogue;  // prefix written before the number, e.g. "Op. ", "Hob. XVI:"; "" for none
  uint16_t catalogue_max;
  uint8_t families;
};

constexpr ComposerSpec kComposers[] = {
    {"Ludwig van Beethoven", "Op. ", 138, kOrchestral | kPiano | kChamber | kConcerto},
    {"Wolfgang Amadeus Mozart", "K. ", 626, kOrchestral | kPiano | kChamber | kConcerto | kVocal},
    {"Johann Sebastian Bach", "BWV ", 1120, kBaroque | kVocal | kConcerto},
    {"Franz Schubert", "D. ", 998, kOrchestral | kPiano | kChamber | kVocal},
    {"Frédéric Chopin", "Op. ", 74, kPiano | kConcerto},
    {"Antonín Dvořák", "Op. ", 115, kOrchestral | kChamber | kConcerto | kVocal},
    {"Camille Saint-Saëns", "Op. ", 169, kOrchestral | kPiano | kChamber | kConcerto},
    {"Bedřich Smetana", "JB 1:", 120, kOrchestral | kPiano | kChamber},
    {"Leoš Janáček", "JW ", 180, kOrchestral | kPiano | kChamber},
    {"Béla Bartók", "Sz. ", 120, kOrchestral | kPiano | kChamber | kConcerto},
    {"Gabriel Fauré", "Op. ", 121, kPiano | kChamber | kVocal},
    {"Claude Debussy", "L. ", 141, kOrchestral | kPiano | kChamber},
    {"Maurice Ravel", "M. ", 86, kOrchestral | kPiano | kChamber | kConcerto},
    {"Erik Satie", "", 0, kPiano},
    {"Pyotr Ilyich Tchaikovsky", "Op. ", 80, kOrchestral | kPiano | kChamber | kConcerto},
    {"Sergei Rachmaninoff", "Op. ", 45, kOrchestral | kPiano | kConcerto | kVocal},
    {"Sergei Prokofiev", "Op. ", 138, kOrchestral | kPiano | kChamber | kConcerto},
    {"Dmitri Shostakovich", "Op. ", 147, kOrchestral | kPiano | kChamber | kConcerto},
    {"Johannes Brahms", "Op. ", 122, kOrchestral | kPiano | kChamber | kConcerto | kVocal},
    {"Robert Schumann", "Op. ", 148, kOrchestral | kPiano | kChamber | kConcerto},
    {"Clara Schumann", "Op. ", 23, kPiano | kChamber | kConcerto},
    {"Felix Mendelssohn", "Op. ", 121, kOrchestral | kPiano | kChamber | kConcerto},
    {"Fanny Hensel", "H-U ", 466, kPiano | kChamber | kVocal},
    {"Franz Liszt", "S. ", 700, kOrchestral | kPiano | kConcerto},
    {"Edvard Grieg", "Op. ", 74, kOrchestral | kPiano | kChamber | kConcerto},
    {"Jean Sibelius", "Op. ", 116, kOrchestral | kConcerto},
    {"Carl Nielsen", "FS ", 160, kOrchestral | kChamber},
    {"Gustav Mahler", "", 0, kOrchestral | kVocal},
    {"Anton Bruckner", "WAB ", 143, kOrchestral | kVocal},
    {"Joseph Haydn", "Hob. XVI:", 52, kPiano | kChamber | kOrchestral},
    {"Antonio Vivaldi", "RV ", 817, kBaroque | kConcerto | kVocal},
    {"George Frideric Handel", "HWV ", 612, kBaroque | kVocal | kConcerto},
    {"Georg Philipp Telemann", "TWV 51:", 30, kBaroque | kConcerto},
    {"Domenico Scarlatti", "K. ", 555, kPiano | kBaroque},
    {"Hildegard von Bingen", "", 0, kVocal},
    {"Arvo Pärt", "", 0, kOrchestral | kChamber | kVocal},
    {"Henryk Górecki", "Op. ", 91, kOrchestral | kChamber | kVocal},
    {"Karol Szymanowski", "Op. ", 62, kOrchestral | kPiano | kConcerto},
    {"Manuel de Falla", "", 0, kOrchestral | kPiano},
    {"Isaac Albéniz", "Op. ", 232, kPiano},
    {"Enrique Granados", "Op. ", 37, kPiano},
    {"Heitor Villa-Lobos", "W", 573, kOrchestral | kPiano | kChamber},
    {"Francis Poulenc", "FP ", 186, kPiano | kChamber | kVocal | kConcerto},
    {"César Franck", "FWV ", 92, kOrchestral | kChamber | kPiano},
    {"Amy Beach", "Op. ", 150, kOrchestral | kPiano | kChamber},
    {"Florence Price", "", 0, kOrchestral | kPiano},
    {"Alexander Scriabin", "Op. ", 74, kPiano},
    {"Bohuslav Martinů", "H. ", 384, kOrchestral | kChamber | kPiano | kConcerto},
    {"Zoltán Kodály", "Op. ", 20, kOrchestral | kChamber | kVocal},
    {"Nikolai Rimsky-Korsakov", "Op. ", 65, kOrchestral},
};

enum class Movements : uint8_t { kNone, kInstrumental, kMass, kDances };

struct FormSpec {
  const char* name;
  uint8_t family;
  bool numbered;   // "No. 3"
  bool keyed;      // "in E-flat major"
  bool miniature;  // "Op. 9 No. 2": one of a set published together
  Movements movements;
};

constexpr FormSpec kForms[] = {
    {"Symphony", kOrchestral, true, true, false, Movements::kInstrumental},
    {"Overture", kOrchestral, false, true, false, Movements::kNone},
    {"Serenade for Strings", kOrchestral, false, true, false, Movements::kInstrumental},
    {"Orchestral Suite", kOrchestral | kBaroque, true, true, false, Movements::kDances},
    {"Piano Sonata", kPiano, true, true, false, Movements::kInstrumental},
    {"Nocturne", kPiano, false, true, true, Movements::kNone},
    {"Étude", kPiano, false, true, true, Movements::kNone},
    {"Prélude", kPiano, false, true, true, Movements::kNone},
    {"Impromptu", kPiano, false, true, true, Movements::kNone},
    {"Waltz", kPiano, false, true, true, Movements::kNone},
    {"Mazurka", kPiano, false, true, true, Movements::kNone},
    {"Intermezzo", kPiano, false, true, true, Movements::kNone},
    {"Ballade", kPiano, true, true, false, Movements::kNone},
    {"Fantasia", kPiano | kBaroque, false, true, false, Movements::kNone},
    {"Rhapsody", kPiano | kOrchestral, true, true, false, Movements::kNone},
    {"String Quartet", kChamber, true, true, false, Movements::kInstrumental},
    {"Piano Trio", kChamber, true, true, false, Movements::kInstrumental},
    {"Piano Quintet", kChamber, false, true, false, Movements::kInstrumental},
    {"Violin Sonata", kChamber | kBaroque, true, true, false, Movements::kInstrumental},
    {"Cello Sonata", kChamber, true, true, false, Movements::kInstrumental},
    {"Piano Concerto", kConcerto, true, true, false, Movements::kInstrumental},
    {"Violin Concerto", kConcerto, false, true, false, Movements::kInstrumental},
    {"Cello Concerto", kConcerto, false, true, false, Movements::kInstrumental},
    {"Mass", kVocal, false, true, false, Movements::kMass},
    {"Magnificat", kVocal, false, true, false, Movements::kNone},
    {"Stabat Mater", kVocal, false, false, false, Movements::kNone},
    {"Requiem", kVocal, false, true, false, Movements::kMass},
    {"Concerto Grosso", kBaroque, false, true, true, Movements::kInstrumental},
    {"Trio Sonata", kBaroque, false, true, false, Movements::kNone},
    {"Toccata and Fugue", kBaroque, false, true, false, Movements::kNone},
    {"Prelude and Fugue", kBaroque | kPiano, false, true, false, Movements::kNone},
    {"Partita", kBaroque, true, true, false, Movements::kDances},
    {"Keyboard Sonata", kBaroque, false, true, false, Movements::kNone},
};

constexpr const char* kKeys[] = {
    "C major",       "C minor",       "C-sharp minor", "D-flat major", "D major",      "D minor",
    "E-flat major",  "E-flat minor",  "E major",       "E minor",      "F major",      "F minor",
    "F-sharp major", "F-sharp minor", "G major",       "G minor",      "A-flat major", "G-sharp minor",
    "A major",       "A minor",       "B-flat major",  "B-flat minor", "B major",      "B minor",
};

constexpr const char* kNicknames[] = {
    "Pathétique",
    "Tempest",
    "Spring",
    "Emperor",
    "Little Russian",
    "Romantic",
    "Tragic",
    "Titan",
    "Italian",
    "Scottish",
    "Rhenish",
    "Unfinished",
    "Jupiter",
    "Hunt",
    "Lark",
    "Dissonance",
    "Haffner",
    "Linz",
    "Prague",
    "Winter Daydreams",
    "Raindrop",
    "Heroic",
    "Farewell",
    "Surprise",
    "Clock",
    "Trout",
    "Archduke",
    "Ghost",
    "Kreutzer",
    "American",
    "Dumky",
    "From My Life",
    "Intimate Letters",
    "Résurrection",
    "Élégiaque",
    "Tombeau",
};

constexpr const char* kInstrumentalMovements[] = {
    "I. Allegro con brio",
    "I. Allegro ma non troppo",
    "I. Moderato",
    "II. Adagio",
    "II. Andante cantabile",
    "II. Largo",
    "II. Romanze. Andante",
    "II. Adagio sostenuto",
    "III. Scherzo. Allegro vivace",
    "III. Menuetto. Allegretto",
    "III. Rondo. Allegro",
    "IV. Finale. Presto",
};
constexpr const char* kMassMovements[] = {"Kyrie", "Gloria", "Credo", "Sanctus", "Benedictus", "Agnus Dei"};
constexpr const char* kDanceMovements[] = {"I. Allemande", "II. Courante", "III. Sarabande",
                                           "IV. Menuet",   "V. Gigue",     "Chaconne"};

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&table)[N]) {
  return table[rng.Below(N)];
}

// Writes a composed title for catalogue entry `index`; returns its composer.
const char* ComposedWork(uint32_t index, std::string& title) {
  Rng rng(Mix(0xca7a1090e5ULL, index));
  const ComposerSpec& composer = Pick(rng, kComposers);
  const FormSpec* form = nullptr;
  do {
    form = &Pick(rng, kForms);
  } while ((form->family & composer.families) == 0);

  title = form->name;
  if (form->numbered) title += " No. " + std::to_string(1 + rng.Skewed(9));
  if (form->keyed) title += std::string(" in ") + Pick(rng, kKeys);
  if (composer.catalogue_max > 0) {
    title += ", ";
    title += composer.catalogue;
    title += std::to_string(1 + rng.Below(composer.catalogue_max));
    if (form->miniature && std::string_view(composer.catalogue) == "Op. ") {
      title += " No. " + std::to_string(1 + rng.Below(6));
    }
  }
  if (rng.Chance(1200)) title += std::string(" \"") + Pick(rng, kNicknames) + "\"";
  if (form->movements != Movements::kNone && rng.Chance(4000)) {
    title += ": ";
    switch (form->movements) {
      case Movements::kInstrumental:
        title += Pick(rng, kInstrumentalMovements);
        break;
      case Movements::kMass:
        title += Pick(rng, kMassMovements);
        break;
      case Movements::kDances:
        title += Pick(rng, kDanceMovements);
        break;
      case Movements::kNone:
        break;
    }
  }
  return composer.name;
}

// One work, with the JSON fragments its playlist items are assembled from.
struct Work {
  std::string id;  // w00123
  std::string title;
  std::string composer;
  std::string tail_utf8;   // ,"title":"...","composer":"..."
  std::string tail_ascii;  // the same with \uXXXX escapes
};

std::vector<Work> BuildCatalogue() {
  std::vector<Work> works(kWorks);
  constexpr uint32_t kFamous = std::size(kFamousWorks);
  for (uint32_t i = 0; i < kWorks; ++i) {
    Work& w = works[i];
    w.id = WorkId(i);
    if (i < kFamous) {
      w.title = kFamousWorks[i].title;
      w.composer = kFamousWorks[i].composer;
    } else {
      w.composer = ComposedWork(i, w.title);
    }
    for (bool ascii : {false, true}) {
      std::string& tail = ascii ? w.tail_ascii : w.tail_utf8;
      tail = ",\"title\":\"";
      AppendJsonEscaped(tail, w.title, ascii);
      tail += "\",\"composer\":\"";
      AppendJsonEscaped(tail, w.composer, ascii);
      tail += '"';
    }
  }
  return works;
}

// ---------------------------------------------------------------------------
// Users and their recommendations.

constexpr uint32_t kPlaylistsPerUser = 3;
constexpr uint32_t kMaxPlaylistSize = 30;

struct Playlist {
  uint32_t size = 0;
  std::array<uint32_t, kMaxPlaylistSize> works{};

  bool Contains(uint32_t work) const {
    return std::find(works.begin(), works.begin() + size, work) != works.begin() + size;
  }
};

// Re-derives a user's playlist from (seed, user, playlist) on demand, so the
// generator never stores recommendations. Not thread-safe (scratch bitmap).
class PlaylistDeriver {
 public:
  explicit PlaylistDeriver(uint64_t seed) : seed_(seed), seen_((kWorks + 63) / 64) {}

  Playlist Derive(uint64_t user, uint32_t playlist) {
    Rng rng(Mix(seed_, user * kPlaylistsPerUser + playlist));
    Playlist out;
    out.size = 20 + static_cast<uint32_t>(rng.Below(11));
    for (uint32_t k = 0; k < out.size; ++k) {
      uint32_t work = 0;
      do {
        work = static_cast<uint32_t>(rng.Skewed(kWorks));
      } while (seen_[work / 64] >> (work % 64) & 1);
      seen_[work / 64] |= uint64_t{1} << (work % 64);
      out.works[k] = work;
    }
    for (uint32_t k = 0; k < out.size; ++k) seen_[out.works[k] / 64] = 0;
    return out;
  }

 private:
  uint64_t seed_;
  std::vector<uint64_t> seen_;
};

// About 5% of users stream but the recommendation engine wrote no line.
bool HasPlaylistsLine(uint64_t seed, uint64_t user) {
  return Mix(StreamSeed(seed, Stream::kMissingUsers), user) % 100 >= 5;
}

// Heavy listeners are scattered over the id range: a skewed draw is mapped
// through x -> (x * p + q) mod users, a bijection because p is coprime.
class UserPicker {
 public:
  explicit UserPicker(uint64_t users) : users_(users) {
    multiplier_ = 2654435761ULL % users_;
    while (std::gcd(multiplier_, users_) != 1) ++multiplier_;
    offset_ = users_ / 3;
  }
  uint64_t Pick(Rng& rng) const { return (rng.Skewed(users_) * multiplier_ + offset_) % users_; }

 private:
  uint64_t users_;
  uint64_t multiplier_ = 1;
  uint64_t offset_ = 0;
};

// ---------------------------------------------------------------------------
// Listening contexts, in basis points. About 35% personalized, split 50/30/20.

struct Context {
  std::string_view name;
  uint32_t weight;
  int playlist;  // 0..2 for personalized contexts, -1 otherwise
};

constexpr Context kContexts[] = {
    {"playlist_01", 1750, 0},
    {"playlist_02", 1050, 1},
    {"playlist_03", 700, 2},
    {"album", 1500, -1},
    {"recording", 800, -1},
    {"search", 800, -1},
    {"radio", 1000, -1},
    {"curated_playlist_17", 700, -1},
    {"curated_playlist_4", 500, -1},
    {"user_playlist", 700, -1},
    // Look-alikes that must never count as personalized.
    {"playlist", 200, -1},
    {"playlist_", 100, -1},
    {"playlist_01a", 100, -1},
    {"user_playlist_01", 100, -1},
};

const Context& PickContext(Rng& rng) {
  uint64_t r = rng.Below(10000);
  for (const Context& c : kContexts) {
    if (r < c.weight) return c;
    r -= c.weight;
  }
  return kContexts[0];  // unreachable: the weights sum to 10000
}

static_assert([] {
  uint32_t sum = 0;
  for (const Context& c : kContexts) sum += c.weight;
  return sum == 10000;
}());

// ---------------------------------------------------------------------------
// Output: large buffered writes to a `.tmp` file, renamed on success.

class BufferedFile {
 public:
  explicit BufferedFile(std::filesystem::path path)
      : path_(std::move(path)), tmp_path_(path_.string() + ".tmp"), buffer_(kBufferSize) {}
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;
  ~BufferedFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::error_code ignored;
      std::filesystem::remove(tmp_path_, ignored);
    }
  }

  Status Open() {
    file_ = std::fopen(tmp_path_.c_str(), "wb");
    if (file_ == nullptr) return Error("cannot create");
    std::setvbuf(file_, nullptr, _IONBF, 0);
    return Status::Ok();
  }

  void Append(const char* data, size_t n) {
    if (n > buffer_.size() - used_) Flush();
    if (n > buffer_.size()) {
      Write(data, n);
      return;
    }
    std::memcpy(buffer_.data() + used_, data, n);
    used_ += n;
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }

  // Flushes, closes and renames the file to its final name.
  Status Commit() {
    Flush();
    if (!write_error_.ok()) return write_error_;
    std::FILE* file = std::exchange(file_, nullptr);
    if (std::fclose(file) != 0) {
      const Status st = Error("cannot finish writing");
      std::error_code ignored;
      std::filesystem::remove(tmp_path_, ignored);
      return st;
    }
    std::error_code ec;
    std::filesystem::rename(tmp_path_, path_, ec);
    if (ec) {
      return Status::IoError("generate: cannot rename " + tmp_path_.string() + " to " + path_.string() + ": " +
                             ec.message());
    }
    return Status::Ok();
  }

 private:
  static constexpr size_t kBufferSize = size_t{8} << 20;

  Status Error(const char* what) const {
    return Status::IoError(std::string("generate: ") + what + " " + tmp_path_.string() + ": " + std::strerror(errno) +
                           " (check the output folder and free disk space)");
  }
  void Flush() {
    Write(buffer_.data(), used_);
    used_ = 0;
  }
  void Write(const char* data, size_t n) {
    if (n == 0 || !write_error_.ok()) return;
    if (std::fwrite(data, 1, n, file_) != n) write_error_ = Error("cannot write");
  }

  std::filesystem::path path_;
  std::filesystem::path tmp_path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t used_ = 0;
  Status write_error_;
};

// ---------------------------------------------------------------------------
// events.csv

enum class RowKind : uint8_t {
  kGood,
  kNegativeSeconds,
  kNonNumericSeconds,
  kMissingUser,
  kBadTimestamp,
  kWrongFieldCount,
  kDuplicate,
};
constexpr RowKind kBadKinds[] = {RowKind::kNegativeSeconds, RowKind::kNonNumericSeconds, RowKind::kMissingUser,
                                 RowKind::kBadTimestamp, RowKind::kWrongFieldCount};

struct SpecialRow {
  uint64_t position;  // 0-based data row
  RowKind kind;
  uint32_t duplicate;  // index into the duplicate rows, for kDuplicate
};

// Rows a duplicate will copy, and the copies once written.
struct DuplicatePlan {
  std::vector<std::pair<uint64_t, uint32_t>> sources;  // (source position, duplicate index), sorted
  std::vector<std::string> rows;
};

// Places the bad and duplicate rows: one per stratum of the file, kinds
// shuffled, so they are spread out and never coincide. A duplicate copies an
// earlier row that is not special itself, so it is never also a bad row.
std::vector<SpecialRow> PlanSpecialRows(const PlaylistsOptions& options, DuplicatePlan& duplicates) {
  std::vector<SpecialRow> specials;
  if (!options.bad_rows || options.events < 100) return specials;
  uint64_t per_kind = 1;
  uint64_t duplicate_count = 1;
  if (options.events >= 1000) {
    per_kind = std::max<uint64_t>(3, options.events / 500000);  // about 1 bad row per 100,000 events
    duplicate_count = std::max<uint64_t>(2, options.events / 50000);
  }

  Rng rng(StreamSeed(options.seed, Stream::kSpecials));
  std::vector<RowKind> kinds;
  for (RowKind kind : kBadKinds) kinds.insert(kinds.end(), per_kind, kind);
  kinds.insert(kinds.end(), duplicate_count, RowKind::kDuplicate);
  for (size_t i = kinds.size() - 1; i > 0; --i) std::swap(kinds[i], kinds[rng.Below(i + 1)]);

  // Strata hold >= 16 rows; position 0 is never special, so every duplicate
  // has a plain row before it.
  const uint64_t stratum = options.events / kinds.size();
  uint32_t duplicate_index = 0;
  for (size_t i = 0; i < kinds.size(); ++i) {
    SpecialRow row{i * stratum + 1 + rng.Below(stratum - 1), kinds[i], 0};
    if (row.kind == RowKind::kDuplicate) row.duplicate = duplicate_index++;
    specials.push_back(row);
  }
  auto is_special = [&specials](uint64_t pos) {
    auto it = std::lower_bound(specials.begin(), specials.end(), pos,
                               [](const SpecialRow& s, uint64_t p) { return s.position < p; });
    return it != specials.end() && it->position == pos;
  };
  for (const SpecialRow& row : specials) {
    if (row.kind != RowKind::kDuplicate) continue;
    uint64_t source = rng.Below(row.position);
    while (is_special(source)) --source;
    duplicates.sources.emplace_back(source, row.duplicate);
  }
  std::sort(duplicates.sources.begin(), duplicates.sources.end());
  duplicates.rows.resize(duplicate_index);
  return specials;
}

constexpr std::string_view kEventsHeader = "eventId,timestamp,userId,trackId,workId,listeningContext,secondsStreamed\n";

// Streams span 2020-01-01T00:00:00Z .. 2020-05-01T00:00:00Z, in file order
// give or take a quarter of an hour.
constexpr int64_t kFirstSecond = 1577836800;
constexpr int64_t kSpanSeconds = 121 * 86400;
constexpr int64_t kJitterSeconds = 900;

Status WriteEvents(const PlaylistsOptions& options, const std::vector<Work>& catalogue, PlaylistsSummary& summary) {
  BufferedFile out(options.out_dir / "events.csv");
  EARSHOT_RETURN_IF_ERROR(out.Open());
  out.Append(kEventsHeader);

  DuplicatePlan duplicates;
  const std::vector<SpecialRow> specials = PlanSpecialRows(options, duplicates);
  auto next_special = specials.begin();
  auto next_source = duplicates.sources.begin();

  Rng rng(StreamSeed(options.seed, Stream::kEvents));
  PlaylistDeriver deriver(StreamSeed(options.seed, Stream::kPlaylists));
  const UserPicker users(std::max<uint64_t>(options.users, 1));
  uint64_t event_number = 0;

  for (uint64_t i = 0; i < options.events; ++i) {
    if (options.progress && i > 0 && i % 1000000 == 0) options.progress(i);

    RowKind kind = RowKind::kGood;
    if (next_special != specials.end() && next_special->position == i) {
      kind = next_special->kind;
      if (kind == RowKind::kDuplicate) {
        out.Append(duplicates.rows[next_special->duplicate]);
        ++summary.duplicate_event_rows;
        ++next_special;
        continue;
      }
      ++next_special;
    }

    // Draw everything first, in a fixed order, then format.
    const uint64_t user = users.Pick(rng);
    const Context& context = PickContext(rng);
    uint32_t work = 0;
    if (context.playlist >= 0) {
      const Playlist playlist = deriver.Derive(user, static_cast<uint32_t>(context.playlist));
      if (rng.Chance(8000)) {
        work = playlist.works[rng.Skewed(playlist.size)];  // listeners favour the top of a playlist
      } else {
        do {
          work = static_cast<uint32_t>(rng.Skewed(kWorks));
        } while (playlist.Contains(work));
      }
    } else {
      work = static_cast<uint32_t>(rng.Skewed(kWorks));
    }
    const uint64_t recording = rng.Below(1 + Mix(work, 0x7ac4) % 8);
    const int64_t jitter = static_cast<int64_t>(rng.Below(2 * kJitterSeconds + 1)) - kJitterSeconds;
    const int64_t second = std::clamp(
        kFirstSecond +
            static_cast<int64_t>((i * static_cast<uint64_t>(kSpanSeconds)) / std::max<uint64_t>(options.events, 1)) +
            jitter,
        kFirstSecond, kFirstSecond + kSpanSeconds - 1);
    const uint64_t time_format = rng.Below(100);  // 0..95 ISO-8601, 96..97 epoch s, 98..99 epoch ms
    const uint64_t millis = rng.Below(1000);
    uint64_t seconds = rng.Chance(2200) ? 1 + rng.Below(30) : 30 + rng.Below(571);  // skips, then listens
    const bool decimal = rng.Chance(600);
    const uint64_t tenths = 1 + rng.Below(9);
    if (decimal && seconds == 600) seconds = 599;

    char row[256];
    char* p = row;
    *p++ = 'e';
    p = PutPadded(p, ++event_number, 11);
    *p++ = ',';
    if (kind == RowKind::kBadTimestamp) {
      p = PutString(p, "not-a-date");
    } else if (time_format < 96) {
      p = PutIso8601(p, second);
    } else if (time_format < 98) {
      p = PutUnsigned(p, static_cast<uint64_t>(second));
    } else {
      p = PutUnsigned(p, static_cast<uint64_t>(second) * 1000 + millis);
    }
    *p++ = ',';
    if (kind != RowKind::kMissingUser) p = PutUserId(p, user);
    *p++ = ',';
    p = PutTrackId(p, work, recording);
    *p++ = ',';
    if (kind != RowKind::kWrongFieldCount) {
      p = PutString(p, catalogue[work].id);
      *p++ = ',';
    }
    p = PutString(p, context.name);
    *p++ = ',';
    if (kind == RowKind::kNonNumericSeconds) {
      p = PutString(p, seconds % 2 == 0 ? "abc" : "n/a");
    } else {
      if (kind == RowKind::kNegativeSeconds) *p++ = '-';
      p = PutUnsigned(p, seconds);
      if (decimal) {
        *p++ = '.';
        *p++ = static_cast<char>('0' + tenths);
      }
    }
    *p++ = '\n';
    const size_t length = static_cast<size_t>(p - row);
    out.Append(row, length);

    switch (kind) {
      case RowKind::kNegativeSeconds:
        ++summary.negative_seconds_rows;
        break;
      case RowKind::kNonNumericSeconds:
        ++summary.non_numeric_seconds_rows;
        break;
      case RowKind::kMissingUser:
        ++summary.missing_user_rows;
        break;
      case RowKind::kBadTimestamp:
        ++summary.bad_timestamp_rows;
        break;
      case RowKind::kWrongFieldCount:
        ++summary.wrong_field_count_rows;
        break;
      case RowKind::kGood:
      case RowKind::kDuplicate:
        break;
    }
    for (; next_source != duplicates.sources.end() && next_source->first == i; ++next_source) {
      duplicates.rows[next_source->second].assign(row, length);
    }
  }

  summary.events_written = options.events;
  summary.bad_event_rows = summary.negative_seconds_rows + summary.non_numeric_seconds_rows +
                           summary.missing_user_rows + summary.bad_timestamp_rows + summary.wrong_field_count_rows;
  EARSHOT_RETURN_IF_ERROR(out.Commit());
  if (options.progress) options.progress(options.events);
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// playlists.ndjson

enum class ItemStyle : uint8_t { kObjects, kStrings, kMixed };

// How one line is shaped, drawn per user: the engine's output went through
// several versions and exporters, and the contract accepts all of these.
struct LineStyle {
  std::string_view user_key = "userId";
  bool nested = true;  // "playlists": {...} or top-level playlist keys
  bool user_key_last = false;
  bool model_field = false;  // an extra top-level field readers must ignore
  ItemStyle items = ItemStyle::kObjects;
  std::string_view work_key = "workId";
  bool titles = true;   // objects carry title and composer
  bool scores = false;  // objects carry an extra "score"
  bool ascii = false;   // non-ASCII written as \uXXXX

  static LineStyle Draw(uint64_t seed, uint64_t user) {
    Rng rng(Mix(StreamSeed(seed, Stream::kLineStyle), user));
    LineStyle s;
    const uint64_t key = rng.Below(100);
    s.user_key = key < 90 ? "userId" : key < 97 ? "user_id" : "user";
    s.nested = !rng.Chance(1800);
    s.user_key_last = rng.Chance(500);
    s.model_field = rng.Chance(800);
    const uint64_t items = rng.Below(100);
    s.items = items < 85 ? ItemStyle::kObjects : items < 95 ? ItemStyle::kStrings : ItemStyle::kMixed;
    const uint64_t work_key = rng.Below(100);
    s.work_key = work_key < 92 ? "workId" : work_key < 97 ? "work_id" : "id";
    s.titles = !rng.Chance(500);
    s.scores = rng.Chance(600);
    s.ascii = rng.Chance(1200);
    return s;
  }
};

void AppendUserMember(std::string& line, const LineStyle& style, uint64_t user) {
  line += '"';
  line += style.user_key;
  line += "\":\"";
  char buf[24];
  line.append(buf, static_cast<size_t>(PutUserId(buf, user) - buf));
  line += '"';
}

// Builds one user's line (without the newline). Without with_user it is the
// same object minus the user id: valid JSON that a reader must reject.
void BuildPlaylistsLine(std::string& line, uint64_t seed, uint64_t user, bool with_user,
                        const std::vector<Work>& catalogue, PlaylistDeriver& deriver) {
  const LineStyle style = LineStyle::Draw(seed, user);
  Rng rng(Mix(StreamSeed(seed, Stream::kLineStyle) ^ 0xa5a5a5a5ULL, user));
  line.clear();
  line += '{';
  bool first = true;
  auto separate = [&line, &first] {
    if (!first) line += ',';
    first = false;
  };
  if (with_user && !style.user_key_last) {
    separate();
    AppendUserMember(line, style, user);
  }
  if (style.model_field) {
    separate();
    line += "\"model\":\"recs-2020.02\"";
  }
  separate();
  if (style.nested) line += "\"playlists\":{";
  for (uint32_t p = 0; p < kPlaylistsPerUser; ++p) {
    if (p > 0) line += ',';
    line += "\"playlist_0";
    line += static_cast<char>('1' + p);
    line += "\":[";
    const Playlist playlist = deriver.Derive(user, p);
    for (uint32_t k = 0; k < playlist.size; ++k) {
      if (k > 0) line += ',';
      const Work& work = catalogue[playlist.works[k]];
      const bool as_string =
          style.items == ItemStyle::kStrings || (style.items == ItemStyle::kMixed && rng.Chance(5000));
      if (as_string) {
        line += '"';
        line += work.id;
        line += '"';
        continue;
      }
      line += "{\"";
      line += style.work_key;
      line += "\":\"";
      line += work.id;
      line += '"';
      if (style.titles) line += style.ascii ? work.tail_ascii : work.tail_utf8;
      if (style.scores) {
        // Scores fall with the position, like a ranker's output.
        char buf[32];
        const uint64_t score = 990 - k * 25 - rng.Below(20);
        char* q = PutString(buf, ",\"score\":0.");
        q = PutPadded(q, score, 3);
        line.append(buf, static_cast<size_t>(q - buf));
      }
      line += '}';
    }
    line += ']';
  }
  if (style.nested) line += '}';
  if (with_user && style.user_key_last) {
    separate();
    AppendUserMember(line, style, user);
  }
  line += '}';
}

Status WritePlaylists(const PlaylistsOptions& options, const std::vector<Work>& catalogue, PlaylistsSummary& summary) {
  BufferedFile out(options.out_dir / "playlists.ndjson");
  EARSHOT_RETURN_IF_ERROR(out.Open());
  PlaylistDeriver deriver(StreamSeed(options.seed, Stream::kPlaylists));

  // The two bad lines sit before the lines of users a third and two thirds
  // into the file: a truncated copy of that user's line, and that user's line
  // without its user id.
  const bool bad = options.bad_rows && options.users > 0;
  const uint64_t invalid_json_before = options.users / 3;
  const uint64_t missing_id_before = options.users * 2 / 3;

  std::string line;
  line.reserve(16384);
  for (uint64_t user = 0; user < options.users; ++user) {
    if (bad && user == invalid_json_before) {
      BuildPlaylistsLine(line, options.seed, user, /*with_user=*/true, catalogue, deriver);
      // Any strict prefix of an object is invalid JSON; cut on an ASCII byte
      // so the line stays valid UTF-8.
      size_t cut = line.size() * 3 / 5;
      while (cut > 1 && static_cast<unsigned char>(line[cut]) >= 0x80) --cut;
      out.Append(line.data(), cut);
      out.Append("\n");
      ++summary.invalid_json_lines;
    }
    if (bad && user == missing_id_before) {
      BuildPlaylistsLine(line, options.seed, user, /*with_user=*/false, catalogue, deriver);
      line += '\n';
      out.Append(line);
      ++summary.missing_user_id_lines;
    }
    if (!HasPlaylistsLine(options.seed, user)) {
      ++summary.users_without_playlists;
      continue;
    }
    BuildPlaylistsLine(line, options.seed, user, /*with_user=*/true, catalogue, deriver);
    line += '\n';
    out.Append(line);
    ++summary.users_written;
  }
  summary.bad_playlist_lines = summary.invalid_json_lines + summary.missing_user_id_lines;
  summary.users_written += summary.bad_playlist_lines;
  return out.Commit();
}

}  // namespace

Result<PlaylistsSummary> GeneratePlaylists(const PlaylistsOptions& options) {
  if (options.out_dir.empty()) return Status::Invalid("generate: no output folder given");
  if (options.users == 0 && options.events > 0) {
    return Status::Invalid("generate: events need at least one user (set --users to 1 or more)");
  }
  if (options.users > 0xffffffffULL) {
    return Status::Invalid("generate: at most 4,294,967,295 users are supported, got " + std::to_string(options.users));
  }
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return Status::IoError("generate: cannot create output folder " + options.out_dir.string() + ": " + ec.message());
  }

  const std::vector<Work> catalogue = BuildCatalogue();
  PlaylistsSummary summary;
  EARSHOT_RETURN_IF_ERROR(WriteEvents(options, catalogue, summary));
  EARSHOT_RETURN_IF_ERROR(WritePlaylists(options, catalogue, summary));
  return summary;
}

}  // namespace earshot::generate
