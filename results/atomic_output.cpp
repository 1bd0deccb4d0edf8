#include "results/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "sim/input_files.hpp"

namespace multivector::results {

OutputError::OutputError(const std::string& message, int error_number)
    : std::runtime_error(message),
      failed_while_running_(error_number == ENOSPC || error_number == EDQUOT ||
                            error_number == EIO || error_number == EFBIG ||
                            error_number == ENOMEM) {}

namespace {

std::string unique_suffix() {
  // Process id plus a random word: two runs writing to the same place never share a temp name.
  std::random_device device;
  return std::to_string(::getpid()) + "-" + std::to_string(device());
}

// Writes `path` (a temporary name); errors name `shown`, the file the user asked for.
void write_and_sync(const std::filesystem::path& path, const std::filesystem::path& shown,
                    std::string_view content) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) {
    const int saved = errno;
    throw OutputError("cannot write '" + shown.string() + "': " + std::strerror(saved), saved);
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t result = ::write(descriptor, content.data() + written, content.size() - written);
    if (result < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int saved = errno;
      ::close(descriptor);
      throw OutputError("cannot write '" + shown.string() + "': " + std::strerror(saved), saved);
    }
    written += static_cast<std::size_t>(result);
  }
  // Data reaches the disk before the rename makes it visible under its final name. The file is
  // closed whether or not fsync succeeds, so a failing disk does not leak a descriptor a write.
  const int synced = ::fsync(descriptor) == 0 ? 0 : errno;
  const int closed = ::close(descriptor) == 0 ? 0 : errno;
  if (synced != 0 || closed != 0) {
    const int saved = synced != 0 ? synced : closed;
    throw OutputError("cannot write '" + shown.string() + "': " + std::strerror(saved), saved);
  }
}

// The path a write to `path` should replace: a symbolic link's target (followed through a chain
// of links), so that `--out link` writes where the link points and the link stays, as a shell's
// `> link` would; any other path as it is.
std::filesystem::path through_symlinks(const std::filesystem::path& path) {
  std::filesystem::path resolved = path;
  std::error_code error;
  // A bound on the chain, as the kernel's own (40), so a loop of links cannot spin here.
  for (int hop = 0; hop < 40 && std::filesystem::is_symlink(resolved, error); ++hop) {
    const std::filesystem::path target = std::filesystem::read_symlink(resolved, error);
    if (error) {
      break;
    }
    resolved = target.is_absolute() ? target : resolved.parent_path() / target;
  }
  return resolved.lexically_normal();
}

void sync_directory(const std::filesystem::path& directory) {
  const int descriptor = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor >= 0) {
    ::fsync(descriptor);
    ::close(descriptor);
  }
}

// Temporary names are "<prefix><pid>-<random>". A process killed mid-write (SIGKILL, power loss)
// cannot tidy up; the next writer to the same place removes what such dead processes left.
void remove_leftovers_of_dead_writers(const std::filesystem::path& directory,
                                      const std::vector<std::string>& prefixes) {
  std::error_code error;
  std::filesystem::directory_iterator entries(directory.empty() ? "." : directory, error);
  if (error) {
    return;
  }
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    for (const auto& prefix : prefixes) {
      if (!name.starts_with(prefix)) {
        continue;
      }
      const std::string rest = name.substr(prefix.size());
      const std::size_t dash = rest.find('-');
      if (dash == 0 || dash == std::string::npos || rest.find_first_not_of("0123456789") != dash) {
        continue;
      }
      const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        std::error_code ignored;
        std::filesystem::remove_all(entry.path(), ignored);
      }
    }
  }
}

void create_parent(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  if (parent.empty()) {
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw OutputError("cannot create directory '" + parent.string() + "': " + error.message(),
                      error.value());
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_files_atomically({{path, std::string(content)}});
}

void write_files_atomically(const std::vector<OutputFile>& files) {
  std::vector<std::filesystem::path> targets;
  for (const auto& file : files) {
    check_output_path(file.path);
    targets.push_back(through_symlinks(file.path));
  }
  std::vector<std::filesystem::path> temporaries;
  const auto remove_temporaries = [&temporaries] {
    for (const auto& temporary : temporaries) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
    }
  };
  try {
    for (std::size_t index = 0; index < files.size(); ++index) {
      const std::filesystem::path& target = targets[index];
      create_parent(target);
      remove_leftovers_of_dead_writers(target.parent_path(),
                                       {target.filename().string() + ".tmp-"});
      std::filesystem::path temporary = target;
      temporary += ".tmp-" + unique_suffix();
      temporaries.push_back(temporary);
      write_and_sync(temporary, files[index].path, files[index].content);
    }
  } catch (...) {
    remove_temporaries();
    throw;
  }
  for (std::size_t index = 0; index < files.size(); ++index) {
    std::error_code error;
    std::filesystem::rename(temporaries[index], targets[index], error);
    if (error) {
      // Only a change made by another process since the check above can get here.
      const std::string reason = error.message();
      temporaries.erase(temporaries.begin(), temporaries.begin() + static_cast<long>(index));
      remove_temporaries();
      throw OutputError("cannot write '" + files[index].path.string() + "': " + reason,
                        error.value());
    }
    sync_directory(targets[index].parent_path());
  }
}

namespace {

// Whether an entry can be made in `directory`, found by making one: permission bits do not say
// (root passes them, yet cannot create files in /proc or on a read-only mount). The probe is a
// hidden empty file, removed at once.
void check_can_create_in(const std::filesystem::path& directory, const std::string& refusal) {
  const std::filesystem::path probe = (directory.empty() ? std::filesystem::path(".") : directory) /
                                      (".multivector-probe-" + unique_suffix());
  const int descriptor = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) {
    const int saved = errno;
    throw OutputError(refusal + ": cannot create files in '" +
                          (directory.empty() ? std::string(".") : directory.string()) +
                          "': " + std::strerror(saved),
                      saved);
  }
  ::close(descriptor);
  ::unlink(probe.c_str());
}

// The nearest parent of `path` that exists must be a directory in which files can be created,
// or `path` cannot be made there.
void check_nearest_parent(const std::filesystem::path& path, const std::string& refusal) {
  std::error_code error;
  for (std::filesystem::path parent = path.parent_path(); !parent.empty();
       parent = parent.parent_path()) {
    if (std::filesystem::exists(parent, error)) {
      if (!std::filesystem::is_directory(parent, error)) {
        throw OutputError(refusal + ": '" + parent.string() + "' is a file, not a directory");
      }
      check_can_create_in(parent, refusal);
      return;
    }
    if (parent == parent.parent_path()) {
      return;
    }
  }
  check_can_create_in({}, refusal);  // a relative path whose parents do not exist: "." holds it
}

// Whether `path` is `directory` or lies somewhere inside it, by their absolute, normalised forms
// (symlinks in the parts that exist resolved), so "out/../out/db" is found inside "out".
bool lies_within(const std::filesystem::path& path, const std::filesystem::path& directory) {
  std::error_code error;
  const auto whole = std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
  const auto folder =
      std::filesystem::weakly_canonical(std::filesystem::absolute(directory), error);
  if (error) {
    return false;
  }
  auto part = whole.begin();
  for (auto folder_part = folder.begin(); folder_part != folder.end(); ++folder_part, ++part) {
    if (folder_part->empty()) {
      continue;  // the empty last element of a path ending in '/'
    }
    if (part == whole.end() || *part != *folder_part) {
      return false;
    }
  }
  return true;
}

}  // namespace

void check_output_path(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (std::filesystem::is_directory(status)) {
    throw OutputError("cannot write '" + path.string() +
                      "': it is a directory; give a file name inside it");
  }
  // The file is written beside its place and renamed over it, which would replace a device or a
  // pipe with a regular file: run as root, `-o /dev/null` would break /dev/null for the machine.
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw OutputError("cannot write '" + path.string() +
                      "': it is not a regular file (a device, a pipe or a socket), which the "
                      "output would replace; give the name of a file");
  }
  check_nearest_parent(path, "cannot write '" + path.string() + "'");
}

void check_output_is_not_input(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs) {
  for (const auto& input : inputs) {
    // A builtin: input is compiled into the program, not a file that an output could replace.
    if (!input.empty() && !sim::is_builtin_path(input.string()) && lies_within(output, input)) {
      throw OutputError("cannot write '" + output.string() + "': it is '" + input.string() +
                        "', which this command reads; choose another output file");
    }
  }
}

std::optional<std::uintmax_t> available_bytes_for(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path parent = std::filesystem::absolute(path, error).parent_path();
  while (!parent.empty() && !std::filesystem::exists(parent, error) &&
         parent != parent.parent_path()) {
    parent = parent.parent_path();
  }
  const std::filesystem::space_info space = std::filesystem::space(parent, error);
  if (error) {
    return std::nullopt;
  }
  return space.available;
}

void check_output_files(const std::vector<std::filesystem::path>& outputs,
                        const std::vector<std::filesystem::path>& inputs) {
  for (std::size_t index = 0; index < outputs.size(); ++index) {
    check_output_is_not_input(outputs[index], inputs);
    for (std::size_t earlier = 0; earlier < index; ++earlier) {
      if (lies_within(outputs[index], outputs[earlier])) {
        throw OutputError("cannot write both '" + outputs[earlier].string() + "' and '" +
                          outputs[index].string() +
                          "': they are the same file; give each output its own name");
      }
    }
  }
  for (const auto& output : outputs) {
    check_output_path(output);
  }
}

bool OutputFolderKind::holds(std::string_view name) const {
  const auto known = [this](std::string_view whole) {
    return whole == marker || std::find(files.begin(), files.end(), whole) != files.end() ||
           (!extension.empty() && whole.size() > extension.size() && whole.ends_with(extension));
  };
  if (known(name)) {
    return true;
  }
  // write_file_atomically's temporary: NAME.tmp-SUFFIX.
  const auto temporary = name.find(".tmp-");
  return temporary != std::string_view::npos && known(name.substr(0, temporary));
}

void check_replaceable_directory(const std::filesystem::path& directory,
                                 const OutputFolderKind& kind,
                                 const std::vector<std::filesystem::path>& inputs) {
  std::error_code error;
  // Said first: a file named as the folder (the scenario itself, say) is not a folder holding it.
  if (std::filesystem::exists(directory, error) &&
      !std::filesystem::is_directory(directory, error)) {
    throw OutputError("cannot write '" + directory.string() +
                      "': it exists and is not a directory; choose another output directory");
  }
  for (const auto& input : inputs) {
    if (!input.empty() && !sim::is_builtin_path(input.string()) && lies_within(input, directory)) {
      throw OutputError("cannot write '" + directory.string() + "': it holds '" + input.string() +
                        "', which this command reads or writes, and the folder is replaced as a "
                        "whole; choose an output directory that does not contain it");
    }
  }
  // The folder is written beside itself and renamed into place, which the working directory (or
  // a folder holding it) cannot be, even when empty.
  if (const auto working = std::filesystem::current_path(error);
      !error && lies_within(working, directory)) {
    throw OutputError("cannot write '" + directory.string() +
                      "': it is the working directory or holds it, and the output folder is "
                      "replaced as a whole; choose an output directory inside it, e.g. out/run");
  }
  if (!std::filesystem::exists(directory, error)) {
    check_nearest_parent(directory, "cannot create directory '" + directory.string() + "'");
    return;
  }
  // Replacing the folder removes its files, which a write-protected folder does not allow: the
  // new output would be swapped in and the old one left for good under a hidden name beside it.
  // Asked with access(2), not by making a probe file as for the parent: a writer killed between
  // making and removing it would leave a file the folder's kind does not hold.
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    const int saved = errno;
    throw OutputError("cannot replace '" + directory.string() +
                          "': its files could not be removed (" + std::strerror(saved) +
                          "); choose another output directory, or make this one writable",
                      saved);
  }
  if (std::filesystem::is_empty(directory, error)) {
    return;
  }
  if (!std::filesystem::exists(directory / kind.marker, error)) {
    throw OutputError("refusing to replace '" + directory.string() + "': it holds files but no " +
                      std::string(kind.marker) +
                      ", so it is not an earlier output of this command, and replacing it would "
                      "delete them; choose another output directory, or empty this one first");
  }
  // An earlier output, but the folder goes as a whole: a file of the user's own put beside the
  // outputs (notes, a chart made from them) would go with it.
  std::vector<std::string> foreign;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!kind.holds(name) || entry.is_directory(error)) {
      foreign.push_back(name);
    }
  }
  if (error) {
    throw OutputError("cannot read '" + directory.string() + "': " + error.message(),
                      error.value());
  }
  if (!foreign.empty()) {
    std::sort(foreign.begin(), foreign.end());
    std::string named = "'" + foreign.front() + "'";
    if (foreign.size() > 1) {
      named += " and " + std::to_string(foreign.size() - 1) + " more";
    }
    throw OutputError("refusing to replace '" + directory.string() + "': besides an earlier " +
                      "output it holds " + named +
                      ", which Multivector does not write there, and the folder is replaced as a "
                      "whole; move it out, or choose another output directory");
  }
}

StagedDirectory::StagedDirectory(std::filesystem::path final_path, const OutputFolderKind& kind)
    : final_(std::move(final_path)) {
  if (final_.filename().empty()) {
    final_ = final_.parent_path();  // "out/run/" names the directory "out/run"
  }
  final_ = through_symlinks(final_);
  check_replaceable_directory(final_, kind);
  create_parent(final_);
  const std::string hidden = "." + final_.filename().string();
  remove_leftovers_of_dead_writers(final_.parent_path(), {hidden + ".tmp-", hidden + ".old-"});
  staging_ = final_.parent_path() / ("." + final_.filename().string() + ".tmp-" + unique_suffix());
  std::error_code error;
  std::filesystem::create_directory(staging_, error);
  if (error) {
    throw OutputError(
        "cannot create output directory '" + final_.string() + "': " + error.message(),
        error.value());
  }
}

StagedDirectory::~StagedDirectory() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove_all(staging_, ignored);
  }
}

void StagedDirectory::write_file(const std::string& name, std::string_view content) {
  write_and_sync(staging_ / name, final_ / name, content);
}

void StagedDirectory::commit() {
  std::error_code error;
  std::filesystem::path previous;
  if (std::filesystem::exists(final_, error)) {
    if (!std::filesystem::is_directory(final_, error)) {
      throw OutputError("cannot replace '" + final_.string() +
                        "': it exists and is not a directory");
    }
    // One atomic step swaps the new directory in and the old one out: there is no moment at
    // which the final path is missing or half-filled, whenever the process dies.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      sync_directory(final_.parent_path());
      std::filesystem::remove_all(staging_, error);  // now the previous output
      return;
    }
    // Filesystems without RENAME_EXCHANGE: move the old one aside, then the new one in.
    previous =
        final_.parent_path() / ("." + final_.filename().string() + ".old-" + unique_suffix());
    std::filesystem::rename(final_, previous, error);
    if (error) {
      throw OutputError("cannot replace '" + final_.string() + "': " + error.message(),
                        error.value());
    }
  }
  std::filesystem::rename(staging_, final_, error);
  if (error) {
    if (!previous.empty()) {
      std::error_code restore;
      std::filesystem::rename(previous, final_, restore);
    }
    throw OutputError("cannot write '" + final_.string() + "': " + error.message(), error.value());
  }
  committed_ = true;
  sync_directory(final_.parent_path());
  if (!previous.empty()) {
    std::filesystem::remove_all(previous, error);
  }
}

}  // namespace multivector::results
