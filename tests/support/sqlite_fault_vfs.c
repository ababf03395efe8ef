/* sqlite_fault_vfs: a shared library that makes SQLite's writes and syncs
 * fail on demand, for the fault tests. Loaded into the real netwardend with
 * LD_PRELOAD (or into a test with dlopen), its constructor registers a VFS,
 * "netwarden_fault", that wraps the default one ("unix") and becomes the new
 * default, so every database the process opens afterwards goes through it.
 *
 * The faults come from the control file named by the environment variable
 * NETWARDEN_FAULT_VFS_CONTROL (read when the library loads). Each line is
 *
 *     OP ERROR [SKIP [COUNT]]
 *
 * OP is "write" (xWrite) or "sync" (xSync); ERROR is SQLITE_IOERR_WRITE,
 * SQLITE_IOERR_FSYNC or SQLITE_FULL, the code the call returns instead of
 * doing its work; SKIP calls of that OP succeed first (default 0), then COUNT
 * calls fail (default 0: every call from then on). A missing or empty file
 * means no faults. Every write and sync checks the file's inode, size and
 * modification time and re-reads it when one changed, restarting the SKIP
 * and COUNT counters; a test replaces it atomically (write, then rename) so
 * a half-written file is never seen. A line that cannot be parsed is
 * reported on stderr and ignored.
 *
 * Thread-safe: the state is behind one mutex, as netwardend's writer thread
 * and its readers use SQLite at the same time.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OP_WRITE, OP_SYNC, OP_COUNT };

struct fault_rule {
  int active;
  int error;       /* the SQLite result code returned */
  long long skip;  /* calls still to pass before failing */
  long long count; /* calls still to fail; < 0: all */
};

static struct {
  pthread_mutex_t lock;
  char* control_path;
  struct stat seen; /* the control file as last read; st_ino 0: absent */
  struct fault_rule rules[OP_COUNT];
  sqlite3_vfs* real;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int error_code(const char* name) {
  if (strcmp(name, "SQLITE_IOERR_WRITE") == 0) return SQLITE_IOERR_WRITE;
  if (strcmp(name, "SQLITE_IOERR_FSYNC") == 0) return SQLITE_IOERR_FSYNC;
  if (strcmp(name, "SQLITE_FULL") == 0) return SQLITE_FULL;
  return 0;
}

/* Reads the control file into g.rules. Called with g.lock held. */
static void read_control(void) {
  memset(g.rules, 0, sizeof g.rules);
  FILE* f = fopen(g.control_path, "r");
  if (f == NULL) return;
  char line[256];
  while (fgets(line, sizeof line, f) != NULL) {
    char op[32], error[64];
    long long skip = 0, count = 0;
    int fields = sscanf(line, "%31s %63s %lld %lld", op, error, &skip, &count);
    if (fields <= 0) continue; /* blank line */
    int which = fields >= 2 && strcmp(op, "write") == 0  ? OP_WRITE
                : fields >= 2 && strcmp(op, "sync") == 0 ? OP_SYNC
                                                         : -1;
    int code = fields >= 2 ? error_code(error) : 0;
    if (which < 0 || code == 0 || skip < 0 || count < 0) {
      fprintf(stderr, "sqlite_fault_vfs: %s: ignoring the line \"%.*s\"\n", g.control_path, (int)strcspn(line, "\n"),
              line);
      continue;
    }
    g.rules[which] = (struct fault_rule){1, code, skip, count == 0 ? -1 : count};
  }
  fclose(f);
}

/* SQLITE_OK, or the error the control file asks this call of `op` to fail with. */
static int injected(int op) {
  if (g.control_path == NULL) return SQLITE_OK;
  pthread_mutex_lock(&g.lock);
  struct stat now;
  if (stat(g.control_path, &now) != 0) memset(&now, 0, sizeof now);
  if (now.st_ino != g.seen.st_ino || now.st_size != g.seen.st_size || now.st_mtim.tv_sec != g.seen.st_mtim.tv_sec ||
      now.st_mtim.tv_nsec != g.seen.st_mtim.tv_nsec) {
    g.seen = now;
    read_control();
  }
  int rc = SQLITE_OK;
  struct fault_rule* r = &g.rules[op];
  if (r->active) {
    if (r->skip > 0) {
      --r->skip;
    } else if (r->count != 0) {
      if (r->count > 0) --r->count;
      rc = r->error;
    }
  }
  pthread_mutex_unlock(&g.lock);
  return rc;
}

/* A file of ours: our methods in front, the real VFS's file behind. */
typedef struct {
  sqlite3_file base;
  sqlite3_file* real;
} fault_file;

static sqlite3_file* real_of(sqlite3_file* f) { return ((fault_file*)f)->real; }

static int f_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
static int f_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
static int f_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  int rc = injected(OP_WRITE);
  return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
static int f_truncate(sqlite3_file* f, sqlite3_int64 size) { return real_of(f)->pMethods->xTruncate(real_of(f), size); }
static int f_sync(sqlite3_file* f, int flags) {
  int rc = injected(OP_SYNC);
  return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xSync(real_of(f), flags);
}
static int f_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
static int f_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
static int f_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
static int f_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int f_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int f_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
static int f_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
static int f_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
static int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
static int f_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}
static int f_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), off, n, out);
}
static int f_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

/* One table per version the real file may have: the version decides which
 * of the optional methods SQLite may call, so ours must claim the same. */
#define FAULT_METHODS(version)                                                                                      \
  {                                                                                                                 \
    version, f_close, f_read, f_write, f_truncate, f_sync, f_file_size, f_lock, f_unlock, f_check_reserved,         \
        f_file_control, f_sector_size, f_device_characteristics, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, \
        f_fetch, f_unfetch                                                                                          \
  }
static const sqlite3_io_methods methods[] = {FAULT_METHODS(1), FAULT_METHODS(2), FAULT_METHODS(3)};

static int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  (void)vfs;
  fault_file* ours = (fault_file*)file;
  ours->real = (sqlite3_file*)(ours + 1);
  int rc = g.real->xOpen(g.real, name, ours->real, flags, out_flags);
  const sqlite3_io_methods* real_methods = ours->real->pMethods;
  /* SQLite calls xClose whenever pMethods is set, even after a failed open. */
  int version = real_methods == NULL ? 0 : real_methods->iVersion;
  ours->base.pMethods = version >= 1 && version <= 3 ? &methods[version - 1] : NULL;
  return rc;
}
static int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  (void)vfs;
  return g.real->xDelete(g.real, name, sync_dir);
}
static int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  (void)vfs;
  return g.real->xAccess(g.real, name, flags, out);
}
static int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  (void)vfs;
  return g.real->xFullPathname(g.real, name, n, out);
}
static void* v_dl_open(sqlite3_vfs* vfs, const char* name) {
  (void)vfs;
  return g.real->xDlOpen(g.real, name);
}
static void v_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  g.real->xDlError(g.real, n, out);
}
static void (*v_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  (void)vfs;
  return g.real->xDlSym(g.real, handle, symbol);
}
static void v_dl_close(sqlite3_vfs* vfs, void* handle) {
  (void)vfs;
  g.real->xDlClose(g.real, handle);
}
static int v_randomness(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  return g.real->xRandomness(g.real, n, out);
}
static int v_sleep(sqlite3_vfs* vfs, int microseconds) {
  (void)vfs;
  return g.real->xSleep(g.real, microseconds);
}
static int v_current_time(sqlite3_vfs* vfs, double* out) {
  (void)vfs;
  return g.real->xCurrentTime(g.real, out);
}
static int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  return g.real->xGetLastError(g.real, n, out);
}
static int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  (void)vfs;
  return g.real->xCurrentTimeInt64(g.real, out);
}

static sqlite3_vfs fault_vfs = {
    .iVersion = 2,
    .mxPathname = 0, /* set from the real VFS */
    .zName = "netwarden_fault",
    .xOpen = v_open,
    .xDelete = v_delete,
    .xAccess = v_access,
    .xFullPathname = v_full_pathname,
    .xDlOpen = v_dl_open,
    .xDlError = v_dl_error,
    .xDlSym = v_dl_sym,
    .xDlClose = v_dl_close,
    .xRandomness = v_randomness,
    .xSleep = v_sleep,
    .xCurrentTime = v_current_time,
    .xGetLastError = v_get_last_error,
    .xCurrentTimeInt64 = v_current_time_int64,
};

__attribute__((constructor)) static void register_fault_vfs(void) {
  g.real = sqlite3_vfs_find(NULL);
  if (g.real == NULL || g.real->iVersion < 2) {
    fprintf(stderr, "sqlite_fault_vfs: no default VFS of version 2 or later to wrap\n");
    return;
  }
  const char* control = getenv("NETWARDEN_FAULT_VFS_CONTROL");
  if (control != NULL && *control != '\0') g.control_path = strdup(control);
  fault_vfs.szOsFile = (int)sizeof(fault_file) + g.real->szOsFile;
  fault_vfs.mxPathname = g.real->mxPathname;
  int rc = sqlite3_vfs_register(&fault_vfs, 1);
  fprintf(stderr, "sqlite_fault_vfs: %s \"%s\" as the default VFS, control file %s\n",
          rc == SQLITE_OK ? "wrapped" : "could not wrap", g.real->zName,
          g.control_path != NULL ? g.control_path : "(none: no faults)");
}
