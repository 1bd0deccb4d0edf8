#pragma once
// Outputs appear whole or not at all: files are written under a temporary name and renamed into
// place when complete, so a run killed at any moment leaves the previous output or none.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace multivector::results {

// An output location that cannot be written; the command line maps it to exit status 2, or 1
// when the write failed while running (failed_while_running).
class OutputError : public std::runtime_error {
 public:
  // `error_number`: the errno of a write that failed, 0 for an output refused before writing.
  explicit OutputError(const std::string& message, int error_number = 0);

  // True when the machine failed the write (a full disk or quota, an I/O error), not the output
  // the user named: a failure while running (exit 1) rather than bad input (exit 2).
  [[nodiscard]] bool failed_while_running() const noexcept { return failed_while_running_; }

 private:
  bool failed_while_running_ = false;
};

// Writes `content` to `path` via a temporary file in the same directory and an atomic rename.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// One file of a set that must appear together.
struct OutputFile {
  std::filesystem::path path;
  std::string content;
};

// Writes every file under a temporary name first and renames them into place only once all are
// written, so a command whose third file cannot be written leaves neither of the first two.
void write_files_atomically(const std::vector<OutputFile>& files);

// Throws OutputError now if `path` could not be written later — it is a directory, or one of
// its parents is a file, or no file can be created in the nearest parent that exists (tried with
// a hidden empty file, removed at once) — so a long fit does not end in that error.
void check_output_path(const std::filesystem::path& path);

// Refuses an output that is one of the command's own inputs (the same file under any spelling of
// its path): `report RUN -o RUN/votes.csv` would otherwise replace the run's votes with HTML.
// builtin: inputs are no files and are skipped.
void check_output_is_not_input(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs);

// Free bytes, for this user, on the file system that would hold `path` (in its nearest parent
// that exists, or the current directory); nullopt when the system cannot say.
[[nodiscard]] std::optional<std::uintmax_t> available_bytes_for(const std::filesystem::path& path);

// All three checks for a command that writes several files: none is an input, no two are the
// same file (the second would silently replace the first), and each could be written.
void check_output_files(const std::vector<std::filesystem::path>& outputs,
                        const std::vector<std::filesystem::path>& inputs);

// What one kind of output folder holds (a run, a sweep's CSV export, a summary's), so that a
// new output replaces an earlier one without deleting anything else that lies in the folder.
struct OutputFolderKind {
  std::string_view marker;                  // written by every output of this kind
  std::span<const std::string_view> files;  // the others it, or a command writing into it, may hold
  std::string_view extension;               // and any file with this ending ("" for none)

  // Whether `name` is a file this kind of folder holds (or one of them half-written under a
  // temporary name by a writer that died).
  [[nodiscard]] bool holds(std::string_view name) const;
};

// Throws OutputError unless `directory` may be replaced by a new output: it does not exist, is
// empty, or holds `kind.marker` and nothing `kind` does not hold, so that `--out` naming a folder
// of other files — or an earlier output a user has put files of their own into — never deletes
// them. The nearest parent that
// exists must be a directory, and no file in `inputs` (the command's own inputs, such as the
// database a sweep writes and then exports) may lie inside: replacing the folder would delete
// it (builtin: inputs are no files and are skipped); nor may `directory` be the working directory
// or hold it. Leaves nothing behind (the nearest parent is tried as check_output_path does).
void check_replaceable_directory(const std::filesystem::path& directory,
                                 const OutputFolderKind& kind,
                                 const std::vector<std::filesystem::path>& inputs = {});

// A directory built in a hidden staging directory beside its final place, then swapped in. An
// existing directory there is replaced only if check_replaceable_directory allows it.
class StagedDirectory {
 public:
  StagedDirectory(std::filesystem::path final_path, const OutputFolderKind& kind);
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& staging() const { return staging_; }
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }
  void write_file(const std::string& name, std::string_view content);
  // Moves the staging directory into the final place, replacing what was there.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace multivector::results
