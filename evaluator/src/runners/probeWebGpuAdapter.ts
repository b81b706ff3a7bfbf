import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

/** The Vulkan adapter that onnxruntime-node's WebGPU provider (Dawn) runs on; recorded in reports. */
export interface AdapterFacts {
  backend: 'vulkan';
  vendor: string;
  device: string;
  driver: string;
  /** A CPU implementation of Vulkan (SwiftShader, lavapipe): correct, but no GPU. */
  software: boolean;
}

export interface AdapterProbe {
  /** The adapter Dawn will most likely choose (it prefers hardware), if any Vulkan driver is set up. */
  adapter?: AdapterFacts;
  /** Why there is no adapter, or why it is a software one. */
  reason: string;
}

interface Icd {
  file: string;
  library: string;
  apiVersion: string;
}

const PCI_VENDORS: Record<string, { name: string; icd: RegExp }> = {
  '0x10de': { name: 'NVIDIA', icd: /nvidia/i },
  '0x1002': { name: 'AMD', icd: /radeon|amdvlk|amdgpu/i },
  '0x8086': { name: 'Intel', icd: /intel/i },
};
const SOFTWARE_ICD = /swiftshader|lvp|lavapipe|llvmpipe/i;

/**
 * Finds the Vulkan adapter the WebGPU provider will run on, from what Dawn itself reads: the
 * Vulkan loader (libvulkan.so.1), the installable client drivers (ICDs) it would load
 * (`VK_ICD_FILENAMES` / `VK_DRIVER_FILES`, else the standard icd.d folders) and, for hardware
 * drivers, the PCI display device and kernel driver they serve. onnxruntime-node does not expose
 * Dawn's adapter info, so this is the closest fact available without loading the GPU; it decides
 * whether `--device auto` tries WebGPU (only on hardware) and is recorded in the report.
 */
export function probeWebGpuAdapter(env: NodeJS.ProcessEnv = process.env): AdapterProbe {
  if (process.platform !== 'linux')
    return { reason: `the Vulkan probe covers Linux only (this is ${process.platform})` };
  const loader = findVulkanLoader(env);
  if (!loader) return { reason: 'no Vulkan loader (libvulkan.so.1) is installed' };
  const icds = listIcds(env);
  if (icds.length === 0)
    return {
      reason: env.VK_ICD_FILENAMES
        ? `VK_ICD_FILENAMES names no readable Vulkan driver (${env.VK_ICD_FILENAMES})`
        : 'no Vulkan driver (ICD) is installed',
    };
  const gpus = pciDisplayDevices();
  for (const gpu of gpus) {
    const vendor = PCI_VENDORS[gpu.vendor];
    const icd =
      vendor && icds.find((i) => vendor.icd.test(i.library) && !SOFTWARE_ICD.test(i.library));
    if (vendor && icd)
      return {
        adapter: {
          backend: 'vulkan',
          vendor: `${vendor.name} (${gpu.vendor})`,
          device: `${gpu.device}${gpu.name ? ` ${gpu.name}` : ''}`,
          driver: `${gpu.driver}${gpu.driverVersion ? ` ${gpu.driverVersion}` : ''}, Vulkan ICD ${basename(icd.library)} (API ${icd.apiVersion})`,
          software: false,
        },
        reason: `${vendor.name} GPU with its Vulkan driver`,
      };
  }
  const soft = icds.find((i) => SOFTWARE_ICD.test(i.library));
  if (soft) {
    const swiftshader = /swiftshader/i.test(soft.library);
    return {
      adapter: {
        backend: 'vulkan',
        vendor: swiftshader ? 'Google (0x1ae0)' : 'Mesa (0x10005)',
        device: swiftshader ? 'SwiftShader Device (CPU)' : 'llvmpipe (CPU)',
        driver: `Vulkan ICD ${basename(soft.library)} (API ${soft.apiVersion})`,
        software: true,
      },
      reason:
        gpus.length === 0
          ? `no GPU on this host; only the software Vulkan driver ${basename(soft.library)}`
          : `the GPU has no Vulkan driver here; only the software one ${basename(soft.library)}`,
    };
  }
  return {
    reason: `no Vulkan driver for this host's ${gpus.length ? 'GPU' : 'devices'} (ICDs: ${icds.map((i) => basename(i.library)).join(', ')})`,
  };
}

function findVulkanLoader(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/usr/local/lib',
  ];
  return dirs.map((d) => join(d, 'libvulkan.so.1')).find((p) => existsSync(p));
}

function listIcds(env: NodeJS.ProcessEnv): Icd[] {
  const named = env.VK_ICD_FILENAMES ?? env.VK_DRIVER_FILES;
  const files = named
    ? named.split(delimiter).filter(Boolean)
    : [
        '/etc/vulkan/icd.d',
        '/usr/local/share/vulkan/icd.d',
        '/usr/share/vulkan/icd.d',
        ...(env.XDG_DATA_DIRS ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, 'vulkan/icd.d')),
      ].flatMap((dir) => {
        try {
          return readdirSync(dir)
            .filter((f) => f.endsWith('.json'))
            .map((f) => join(dir, f));
        } catch {
          return [];
        }
      });
  const icds: Icd[] = [];
  for (const file of new Set(files)) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as {
        ICD?: { library_path?: string; api_version?: string };
      };
      if (json.ICD?.library_path)
        icds.push({
          file,
          library: json.ICD.library_path,
          apiVersion: json.ICD.api_version ?? 'unknown',
        });
    } catch {
      // unreadable or not JSON: the loader skips it too
    }
  }
  return icds;
}

interface PciDisplay {
  vendor: string;
  device: string;
  driver: string;
  driverVersion?: string;
  name?: string;
}

function pciDisplayDevices(): PciDisplay[] {
  const root = '/sys/bus/pci/devices';
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  const devices: PciDisplay[] = [];
  for (const entry of entries) {
    const dir = join(root, entry);
    // PCI class 0x03xxxx: display controllers (VGA, 3D controllers such as data-centre GPUs).
    if (!read(join(dir, 'class'))?.startsWith('0x03')) continue;
    let driver = 'no kernel driver';
    try {
      driver = basename(readlinkSync(join(dir, 'driver')));
    } catch {
      // unbound device
    }
    const nvidia = read('/proc/driver/nvidia/version')?.match(/Kernel Module\s+([\d.]+)/)?.[1];
    devices.push({
      vendor: read(join(dir, 'vendor')) ?? 'unknown',
      device: read(join(dir, 'device')) ?? 'unknown',
      driver,
      driverVersion: read(join('/sys/module', driver, 'version')) ?? nvidia,
      name: nvidiaName(entry),
    });
  }
  // Hardware Dawn prefers first: discrete vendors before integrated ones.
  const rank = (d: PciDisplay) => (d.vendor === '0x10de' ? 0 : d.vendor === '0x1002' ? 1 : 2);
  return devices.sort((a, b) => rank(a) - rank(b));
}

/** The model name the NVIDIA driver publishes for a PCI address, where it does. */
function nvidiaName(pciAddress: string): string | undefined {
  try {
    const info = readFileSync(`/proc/driver/nvidia/gpus/${pciAddress}/information`, 'utf8');
    return info.match(/^Model:\s*(.+)$/m)?.[1]?.trim();
  } catch {
    return undefined;
  }
}
