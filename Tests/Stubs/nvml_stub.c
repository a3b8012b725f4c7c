// A stand-in for libnvidia-ml.so that answers like NVML, for tests without an NVIDIA GPU.
//
// The exported functions have NVML's signatures (nvml.h, NVML API reference):
//   nvmlReturn_t nvmlInit_v2(void);
//   nvmlReturn_t nvmlShutdown(void);
//   nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount);
//   nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device);
//   nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy);  // mJ
//   nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power);  // mW
//   nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length);
//   const char *nvmlErrorString(nvmlReturn_t result);
//
// Every GPU draws a constant power set at compile time, and its energy counter is that power
// integrated over CLOCK_MONOTONIC since the library was loaded (from a non-zero base, as a
// driver loaded long ago shows). Scenario switches, all -D defines:
//   GPU_WATTS={250.0,100.0}   the GPUs and their power (watts)
//   GPU_NAME="NVIDIA Stub"    the name nvmlDeviceGetName answers
//   STOP_AFTER_SECONDS=0.5    energy counters stop counting this long after nvmlInit_v2 (the
//                             power sensor still reads: the GPU still draws)
//   NO_ENERGY_FUNCTION        nvmlDeviceGetTotalEnergyConsumption is not exported
//   ENERGY_NOT_SUPPORTED      it is exported but answers NVML_ERROR_NOT_SUPPORTED (pre-Volta)
//   NO_NAME_FUNCTION          nvmlDeviceGetName is not exported
//   INIT_FAILS                nvmlInit_v2 answers NVML_ERROR_DRIVER_NOT_LOADED
#include <stdint.h>
#include <string.h>
#include <time.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
};

#ifndef GPU_WATTS
#define GPU_WATTS {250.0, 100.0}
#endif
#ifndef GPU_NAME
#define GPU_NAME "NVIDIA Stub GPU"
#endif

struct nvmlDevice_st {
    unsigned int index;
};

static const double watts[] = GPU_WATTS;
#define DEVICE_COUNT (sizeof(watts) / sizeof(watts[0]))
static struct nvmlDevice_st devices[DEVICE_COUNT];
static double loadedSeconds;
static double initSeconds __attribute__((unused));
/// nvmlInit_v2 calls not yet matched by nvmlShutdown: NVML counts them, so parallel users of
/// one loaded library do not shut each other out.
static int initialised;

static double now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (double)time.tv_sec + (double)time.tv_nsec * 1e-9;
}

__attribute__((constructor)) static void loaded(void) {
    loadedSeconds = now();
    for (unsigned int index = 0; index < DEVICE_COUNT; index++) devices[index].index = index;
}

static int valid(nvmlDevice_t device) {
    return initialised && device >= devices && device < devices + DEVICE_COUNT;
}

nvmlReturn_t nvmlInit_v2(void) {
#ifdef INIT_FAILS
    return NVML_ERROR_DRIVER_NOT_LOADED;
#else
    initSeconds = now();
    __atomic_fetch_add(&initialised, 1, __ATOMIC_SEQ_CST);
    return NVML_SUCCESS;
#endif
}

nvmlReturn_t nvmlShutdown(void) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    __atomic_fetch_sub(&initialised, 1, __ATOMIC_SEQ_CST);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (!deviceCount) return NVML_ERROR_INVALID_ARGUMENT;
    *deviceCount = DEVICE_COUNT;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (index >= DEVICE_COUNT || !device) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &devices[index];
    return NVML_SUCCESS;
}

#ifndef NO_ENERGY_FUNCTION
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
    if (!valid(device) || !energy) return NVML_ERROR_INVALID_ARGUMENT;
#ifdef ENERGY_NOT_SUPPORTED
    return NVML_ERROR_NOT_SUPPORTED;
#else
    double seconds = now();
#ifdef STOP_AFTER_SECONDS
    if (seconds > initSeconds + STOP_AFTER_SECONDS) seconds = initSeconds + STOP_AFTER_SECONDS;
#endif
    double millijoules = 1.0e6 + watts[device->index] * (seconds - loadedSeconds) * 1000.0;
    *energy = (unsigned long long)millijoules;
    return NVML_SUCCESS;
#endif
}
#endif

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
    if (!valid(device) || !power) return NVML_ERROR_INVALID_ARGUMENT;
    *power = (unsigned int)(watts[device->index] * 1000.0 + 0.5);
    return NVML_SUCCESS;
}

#ifndef NO_NAME_FUNCTION
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    if (!valid(device) || !name || length == 0) return NVML_ERROR_INVALID_ARGUMENT;
    strncpy(name, GPU_NAME, length - 1);
    name[length - 1] = 0;
    return NVML_SUCCESS;
}
#endif

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    default: return "Unknown Error";
    }
}
