// A stand-in for libamd_smi.so that answers like AMD SMI, for tests without an AMD GPU.
//
// The exported functions, types and structs follow include/amd_smi/amdsmi.h of ROCm/amdsmi;
// amdsmi_version_t and amdsmi_power_info_t as the library version LIB_MAJOR lays them out
// (default 24: library 24.7.1.0, ROCm 6.3):
//   amdsmi_status_t amdsmi_init(uint64_t init_flags);
//   amdsmi_status_t amdsmi_shut_down(void);
//   amdsmi_status_t amdsmi_get_socket_handles(uint32_t *socket_count, amdsmi_socket_handle *socket_handles);
//   amdsmi_status_t amdsmi_get_processor_handles(amdsmi_socket_handle socket_handle, uint32_t *processor_count,
//                                                amdsmi_processor_handle *processor_handles);
//   amdsmi_status_t amdsmi_get_energy_count(amdsmi_processor_handle processor_handle, uint64_t *energy_accumulator,
//                                           float *counter_resolution, uint64_t *timestamp);
//   amdsmi_status_t amdsmi_get_power_info(amdsmi_processor_handle processor_handle, amdsmi_power_info_t *info);
//   amdsmi_status_t amdsmi_get_gpu_asic_info(amdsmi_processor_handle processor_handle, amdsmi_asic_info_t *info);
//   amdsmi_status_t amdsmi_status_code_to_string(amdsmi_status_t status, const char **status_string);
//   amdsmi_status_t amdsmi_get_lib_version(amdsmi_version_t *version);
//
// Every processor (GPU die) draws a constant power set at compile time. Its energy accumulator
// counts that power over CLOCK_MONOTONIC since the library was loaded, in steps of
// 15.259 µJ (2^-16 J, the resolution MI200/MI300 report). Scenario switches, all -D defines:
//   GPU_WATTS={300.0,120.0}   the processors and their power (watts)
//   SOCKET_OF={0,1}           the socket of each processor (default: one socket each)
//   REPORTS={1,1}             whether a processor reports energy and power of its own; one that
//                             does not reads 0 (the second die of an MI250-style board, a
//                             partition of an MI300X), and its power is counted by the first
//                             reporting processor of its socket, as the board's firmware does
//   STOP_AFTER_SECONDS=0.5    accumulators stop this long after amdsmi_init (power still reads)
//   NO_ENERGY_FUNCTION        amdsmi_get_energy_count is not exported
//   INIT_FAILS                amdsmi_init answers AMDSMI_STATUS_DRIVER_NOT_LOADED
//   LIB_MAJOR=24              the library version and its structs: 24 (24.7.1.0, ROCm 6.3:
//                             version {year, major, minor, release, build}; power info 68 bytes,
//                             current_socket_power first), 25 (25.5.1, ROCm 6.4: version {major,
//                             minor, release, build}; power info 40 bytes, a host-only uint64
//                             socket_power first), 26 (26.1.0, ROCm 7: power info 192 bytes,
//                             socket_power in W first). The whole struct is always written.
//   NO_VERSION_FUNCTION       amdsmi_get_lib_version is not exported
//   SHARED_SOCKET_COUNTER     every processor of a socket reports the socket's one accumulator (the
//                             sum of its processors' power), as the partitions of an MI300X do;
//                             the accumulator advances in 1 ms steps like the driver's metrics
//                             table, so partitions read in quick succession show the same count
#include <stdint.h>
#include <string.h>
#include <time.h>

typedef enum {
    AMDSMI_STATUS_SUCCESS = 0,
    AMDSMI_STATUS_INVAL = 1,
    AMDSMI_STATUS_NOT_SUPPORTED = 2,
    AMDSMI_STATUS_NOT_INIT = 32,
    AMDSMI_STATUS_DRIVER_NOT_LOADED = 34,
} amdsmi_status_t;

enum { AMDSMI_INIT_AMD_GPUS = (1 << 1) };

typedef void *amdsmi_processor_handle;
typedef void *amdsmi_socket_handle;

#define AMDSMI_MAX_STRING_LENGTH 64
#define AMDSMI_256_LENGTH 256
#define AMDSMI_NORMAL_STRING_LENGTH 32

#ifndef LIB_MAJOR
#define LIB_MAJOR 24
#endif

#if LIB_MAJOR <= 24
typedef struct {
    uint32_t year;
    uint32_t major;
    uint32_t minor;
    uint32_t release;
    const char *build;
} amdsmi_version_t;

typedef struct {
    uint32_t current_socket_power;
    uint32_t average_socket_power;
    uint32_t gfx_voltage;
    uint32_t soc_voltage;
    uint32_t mem_voltage;
    uint32_t power_limit;
    uint32_t reserved[11];
} amdsmi_power_info_t;
_Static_assert(sizeof(amdsmi_power_info_t) == 68, "ROCm 6.0-6.3 amdsmi_power_info_t");
#else
typedef struct {
    uint32_t major;
    uint32_t minor;
    uint32_t release;
    const char *build;
} amdsmi_version_t;
#if LIB_MAJOR == 25
typedef struct {
    uint64_t socket_power;
    uint32_t current_socket_power;
    uint32_t average_socket_power;
    uint32_t gfx_voltage;
    uint32_t soc_voltage;
    uint32_t mem_voltage;
    uint32_t power_limit;
    uint32_t reserved[2];
} amdsmi_power_info_t;
_Static_assert(sizeof(amdsmi_power_info_t) == 40, "ROCm 6.4 amdsmi_power_info_t");
#else
typedef struct {
    uint64_t socket_power;
    uint32_t current_socket_power;
    uint32_t average_socket_power;
    uint64_t gfx_voltage;
    uint64_t soc_voltage;
    uint64_t mem_voltage;
    uint32_t power_limit;
    uint64_t reserved[18];
} amdsmi_power_info_t;
_Static_assert(sizeof(amdsmi_power_info_t) == 192, "ROCm 7 amdsmi_power_info_t");
#endif
#endif

typedef struct {
    char market_name[AMDSMI_256_LENGTH];
    uint32_t vendor_id;
    char vendor_name[AMDSMI_MAX_STRING_LENGTH];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[AMDSMI_NORMAL_STRING_LENGTH];
    uint32_t oam_id;
    uint32_t num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t reserved[15];
} amdsmi_asic_info_t;

#ifndef GPU_WATTS
#define GPU_WATTS {300.0, 120.0}
#endif
#ifndef GPU_NAME
#define GPU_NAME "AMD Instinct Stub"
#endif

static const double watts[] = GPU_WATTS;
#define PROCESSOR_COUNT (sizeof(watts) / sizeof(watts[0]))
#ifdef SOCKET_OF
static const int socketOf[PROCESSOR_COUNT] = SOCKET_OF;
#else
static int socketOf[PROCESSOR_COUNT];
#endif
#ifdef REPORTS
static const int reports[PROCESSOR_COUNT] = REPORTS;
#else
static int reports[PROCESSOR_COUNT];
#endif

/// A handle is the address of one of these; sockets[s] and processors[p].
static int sockets[PROCESSOR_COUNT];
static int processors[PROCESSOR_COUNT];
static unsigned int socketCount;
static double loadedSeconds;
static double initSeconds __attribute__((unused));
/// amdsmi_init calls not yet matched by amdsmi_shut_down, so parallel users of one loaded
/// library do not shut each other out.
static int initialised;

__attribute__((unused)) static const double joulesPerCount = 1.0 / 65536.0;

static double now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (double)time.tv_sec + (double)time.tv_nsec * 1e-9;
}

__attribute__((constructor)) static void loaded(void) {
    loadedSeconds = now();
    for (unsigned int index = 0; index < PROCESSOR_COUNT; index++) {
        processors[index] = (int)index;
        sockets[index] = (int)index;
#ifndef SOCKET_OF
        socketOf[index] = (int)index;
#endif
#ifndef REPORTS
        reports[index] = 1;
#endif
        if ((unsigned int)socketOf[index] + 1 > socketCount) socketCount = (unsigned int)socketOf[index] + 1;
    }
}

static int processorIndex(amdsmi_processor_handle handle) {
    int *pointer = handle;
    if (!initialised || pointer < processors || pointer >= processors + PROCESSOR_COUNT) return -1;
    return *pointer;
}

/// What processor `index` reports: its own power and that of the silent processors of its
/// socket when it is the socket's first reporting one; 0 when it does not report.
__attribute__((unused)) static double reportedWatts(int index) {
    if (!reports[index]) return 0;
#ifdef SHARED_SOCKET_COUNTER
    double socketTotal = 0;
    for (unsigned int other = 0; other < PROCESSOR_COUNT; other++) {
        if (socketOf[other] == socketOf[index]) socketTotal += watts[other];
    }
    return socketTotal;
#endif
    double total = watts[index];
    int first = 1;
    for (unsigned int other = 0; other < (unsigned int)index; other++) {
        if (socketOf[other] == socketOf[index] && reports[other]) first = 0;
    }
    if (!first) return total;
    for (unsigned int other = 0; other < PROCESSOR_COUNT; other++) {
        if ((int)other != index && socketOf[other] == socketOf[index] && !reports[other]) total += watts[other];
    }
    return total;
}

amdsmi_status_t amdsmi_init(uint64_t init_flags) {
#ifdef INIT_FAILS
    (void)init_flags;
    return AMDSMI_STATUS_DRIVER_NOT_LOADED;
#else
    if (!(init_flags & AMDSMI_INIT_AMD_GPUS)) return AMDSMI_STATUS_NOT_SUPPORTED;
    initSeconds = now();
    __atomic_fetch_add(&initialised, 1, __ATOMIC_SEQ_CST);
    return AMDSMI_STATUS_SUCCESS;
#endif
}

amdsmi_status_t amdsmi_shut_down(void) {
    if (!initialised) return AMDSMI_STATUS_NOT_INIT;
    __atomic_fetch_sub(&initialised, 1, __ATOMIC_SEQ_CST);
    return AMDSMI_STATUS_SUCCESS;
}

amdsmi_status_t amdsmi_get_socket_handles(uint32_t *socket_count, amdsmi_socket_handle *socket_handles) {
    if (!initialised) return AMDSMI_STATUS_NOT_INIT;
    if (!socket_count) return AMDSMI_STATUS_INVAL;
    if (!socket_handles) {
        *socket_count = socketCount;
        return AMDSMI_STATUS_SUCCESS;
    }
    uint32_t written = *socket_count < socketCount ? *socket_count : socketCount;
    for (uint32_t index = 0; index < written; index++) socket_handles[index] = &sockets[index];
    *socket_count = written;
    return AMDSMI_STATUS_SUCCESS;
}

amdsmi_status_t amdsmi_get_processor_handles(
    amdsmi_socket_handle socket_handle, uint32_t *processor_count, amdsmi_processor_handle *processor_handles) {
    int *socket = socket_handle;
    if (!initialised) return AMDSMI_STATUS_NOT_INIT;
    if (!processor_count || socket < sockets || socket >= sockets + socketCount) return AMDSMI_STATUS_INVAL;
    uint32_t found = 0;
    for (unsigned int index = 0; index < PROCESSOR_COUNT; index++) {
        if (socketOf[index] != *socket) continue;
        if (processor_handles && found < *processor_count) processor_handles[found] = &processors[index];
        found++;
    }
    if (processor_handles && found > *processor_count) found = *processor_count;
    *processor_count = found;
    return AMDSMI_STATUS_SUCCESS;
}

#ifndef NO_ENERGY_FUNCTION
amdsmi_status_t amdsmi_get_energy_count(
    amdsmi_processor_handle processor_handle, uint64_t *energy_accumulator, float *counter_resolution,
    uint64_t *timestamp) {
    int index = processorIndex(processor_handle);
    if (index < 0 || !energy_accumulator || !counter_resolution || !timestamp) return AMDSMI_STATUS_INVAL;
    double seconds = now();
    *timestamp = (uint64_t)(seconds * 1e9);
#ifdef STOP_AFTER_SECONDS
    if (seconds > initSeconds + STOP_AFTER_SECONDS) seconds = initSeconds + STOP_AFTER_SECONDS;
#endif
#ifdef SHARED_SOCKET_COUNTER
    seconds = loadedSeconds + (double)(int64_t)((seconds - loadedSeconds) * 1000.0) / 1000.0;
#endif
    *counter_resolution = (float)(joulesPerCount * 1e6);
    double reported = reportedWatts(index);
    *energy_accumulator = reported > 0 ? (uint64_t)((1000.0 + reported * (seconds - loadedSeconds)) / joulesPerCount) : 0;
    return AMDSMI_STATUS_SUCCESS;
}
#endif

amdsmi_status_t amdsmi_get_power_info(amdsmi_processor_handle processor_handle, amdsmi_power_info_t *info) {
    int index = processorIndex(processor_handle);
    if (index < 0 || !info) return AMDSMI_STATUS_INVAL;
    memset(info, 0, sizeof *info);
    // Socket power: the whole socket's draw, which every reporting processor of it shows.
    double socketWatts = 0;
    for (unsigned int other = 0; other < PROCESSOR_COUNT; other++) {
        if (socketOf[other] == socketOf[index]) socketWatts += watts[other];
    }
    uint32_t reported = reports[index] ? (uint32_t)(socketWatts + 0.5) : 0;
#if LIB_MAJOR <= 24
    info->current_socket_power = reported;
    info->average_socket_power = reported;
#elif LIB_MAJOR == 25
    // socket_power is the host's (virtualisation) figure in µW; Linux bare metal fills the two below.
    info->socket_power = UINT32_MAX;
    info->current_socket_power = reported;
    info->average_socket_power = reported;
#else
    // socket_power in W; the older fields read "unsupported" (UINT32_MAX), as they may on newer boards.
    info->socket_power = reported;
    info->current_socket_power = UINT32_MAX;
    info->average_socket_power = UINT32_MAX;
#endif
    info->gfx_voltage = 750;
    info->soc_voltage = 800;
    info->mem_voltage = 1100;
    info->power_limit = 560;
    return AMDSMI_STATUS_SUCCESS;
}

amdsmi_status_t amdsmi_get_gpu_asic_info(amdsmi_processor_handle processor_handle, amdsmi_asic_info_t *info) {
    if (processorIndex(processor_handle) < 0 || !info) return AMDSMI_STATUS_INVAL;
    memset(info, 0, sizeof *info);
    strncpy(info->market_name, GPU_NAME, sizeof info->market_name - 1);
    strncpy(info->vendor_name, "Advanced Micro Devices Inc. [AMD/ATI]", sizeof info->vendor_name - 1);
    info->vendor_id = 0x1002;
    return AMDSMI_STATUS_SUCCESS;
}

#ifndef NO_VERSION_FUNCTION
amdsmi_status_t amdsmi_get_lib_version(amdsmi_version_t *version) {
    if (!version) return AMDSMI_STATUS_INVAL;
    memset(version, 0, sizeof *version);
#if LIB_MAJOR <= 24
    version->year = 24;
    version->major = 7;
    version->minor = 1;
    version->release = 0;
    version->build = "24.7.1.0";
#elif LIB_MAJOR == 25
    version->major = 25;
    version->minor = 5;
    version->release = 1;
    version->build = "25.5.1";
#else
    version->major = LIB_MAJOR;
    version->minor = 1;
    version->release = 0;
    version->build = "stub";
#endif
    return AMDSMI_STATUS_SUCCESS;
}
#endif

amdsmi_status_t amdsmi_status_code_to_string(amdsmi_status_t status, const char **status_string) {
    if (!status_string) return AMDSMI_STATUS_INVAL;
    switch (status) {
    case AMDSMI_STATUS_SUCCESS: *status_string = "AMDSMI_STATUS_SUCCESS: Call succeeded"; break;
    case AMDSMI_STATUS_INVAL: *status_string = "AMDSMI_STATUS_INVAL: Invalid parameters"; break;
    case AMDSMI_STATUS_NOT_SUPPORTED: *status_string = "AMDSMI_STATUS_NOT_SUPPORTED: Command not supported"; break;
    case AMDSMI_STATUS_NOT_INIT: *status_string = "AMDSMI_STATUS_NOT_INIT: Device not initialized"; break;
    case AMDSMI_STATUS_DRIVER_NOT_LOADED:
        *status_string = "AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded";
        break;
    default: *status_string = "An unknown error occurred"; break;
    }
    return AMDSMI_STATUS_SUCCESS;
}
