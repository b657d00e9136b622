// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: streaming DMA of the host device, and the outbound
 * mappings that reach it by copying.
 *
 * A host driver such as pci_endpoint_test maps ordinary kernel memory
 * for DMA (dma_map_single()) and gives the endpoint its bus address.
 * That memory is host RAM, which no outbound chunk can alias. Such a
 * mapping is recorded here; when the function maps an outbound chunk to
 * an address inside it, the controller copies the host buffer into the
 * chunk, and copies the chunk back when the function unmaps it, unless
 * the host mapped the buffer for the device to read only. The host does
 * not touch a buffer it mapped until it unmaps it, so the copies are
 * what the host would have seen over a real link.
 */
#include <linux/spinlock.h>
#include <linux/string.h>

#include "epc-sim-host.h"

static struct epc_sim_host_stream *
epc_sim_stream_find(struct epc_sim_host *host, u64 pci_addr, size_t size)
{
	int i;

	lockdep_assert_held(&host->stream_lock);
	for (i = 0; i < EPC_SIM_HOST_MAX_STREAMS; i++) {
		struct epc_sim_host_stream *s = &host->streams[i];

		if (s->size && pci_addr >= s->dma && size <= s->size &&
		    pci_addr - s->dma <= s->size - size)
			return s;
	}
	return NULL;
}

/**
 * epc_sim_stream_map() - record a streaming mapping of the host device
 * @dev: the host device
 * @dma: the bus address handed to the host driver
 * @virt: the buffer
 * @size: bytes
 * @dir: the direction the host driver gave
 *
 * Return: 0, or -ENOSPC when too many mappings are live.
 */
int epc_sim_stream_map(struct device *dev, dma_addr_t dma, void *virt,
		       size_t size, enum dma_data_direction dir)
{
	struct epc_sim_host *host = epc_sim_host_of(to_pci_dev(dev));
	unsigned long flags;
	int i, ret = -ENOSPC;

	spin_lock_irqsave(&host->stream_lock, flags);
	for (i = 0; i < EPC_SIM_HOST_MAX_STREAMS; i++) {
		struct epc_sim_host_stream *s = &host->streams[i];

		if (!s->size) {
			s->dma = dma;
			s->virt = virt;
			s->size = size;
			s->dir = dir;
			ret = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&host->stream_lock, flags);
	if (ret)
		dev_err(dev, "pci-epc-sim: more than %d streaming mappings\n",
			EPC_SIM_HOST_MAX_STREAMS);
	return ret;
}

/**
 * epc_sim_stream_unmap() - forget a streaming mapping of the host device
 * @dev: the host device
 * @dma: the bus address epc_sim_stream_map() recorded
 */
void epc_sim_stream_unmap(struct device *dev, dma_addr_t dma)
{
	struct epc_sim_host *host = epc_sim_host_of(to_pci_dev(dev));
	unsigned long flags;
	bool found = false;
	int i;

	spin_lock_irqsave(&host->stream_lock, flags);
	for (i = 0; i < EPC_SIM_HOST_MAX_STREAMS && !found; i++) {
		struct epc_sim_host_stream *s = &host->streams[i];

		if (s->size && s->dma == dma) {
			memset(s, 0, sizeof(*s));
			found = true;
		}
	}
	spin_unlock_irqrestore(&host->stream_lock, flags);
	if (!found)
		dev_err(dev, "pci-epc-sim: unmaps %pad, which is not mapped\n",
			&dma);
}

/**
 * epc_sim_stream_copy() - carry data between an outbound chunk and host RAM
 * @host: the root complex side of the controller
 * @chunk: the outbound chunk, as the controller maps it
 * @pci_addr: the host address the chunk is mapped to
 * @size: bytes
 * @to_host: write the chunk back to the host (at unmap) rather than fill
 *           it from the host (at map)
 *
 * Nothing is written into a buffer the host mapped for the device to
 * read only.
 *
 * Return: 0, or -ENOENT when the range is not inside one live streaming
 * mapping of the host device.
 */
int epc_sim_stream_copy(struct epc_sim_host *host, void *chunk, u64 pci_addr,
			size_t size, bool to_host)
{
	struct epc_sim_host_stream *s;
	unsigned long flags;
	void *buf;
	int ret = -ENOENT;

	spin_lock_irqsave(&host->stream_lock, flags);
	s = epc_sim_stream_find(host, pci_addr, size);
	if (s) {
		buf = s->virt + (pci_addr - s->dma);
		if (!to_host)
			memcpy(chunk, buf, size);
		else if (s->dir != DMA_TO_DEVICE)
			memcpy(buf, chunk, size);
		ret = 0;
	}
	spin_unlock_irqrestore(&host->stream_lock, flags);
	return ret;
}

/**
 * epc_sim_stream_forget_all() - drop the mappings of a departed device
 * @host: the root complex side of the controller
 *
 * Return: how many mappings the host driver left behind.
 */
unsigned int epc_sim_stream_forget_all(struct epc_sim_host *host)
{
	unsigned int left = 0;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&host->stream_lock, flags);
	for (i = 0; i < EPC_SIM_HOST_MAX_STREAMS; i++) {
		if (host->streams[i].size)
			left++;
		memset(&host->streams[i], 0, sizeof(host->streams[i]));
	}
	spin_unlock_irqrestore(&host->stream_lock, flags);
	return left;
}
