"""NumPy twin of electron/analysis/voice/logmel.ts (THE engine log-mel front end), for training on waveforms that
are augmented in Python. check_parity.ts + test_parity in train.py assert both give the same features.

Periodic Hann window of n_fft samples, power spectrum, triangular HTK-mel filters evaluated at each FFT bin's centre
frequency (a band narrower than one bin takes its nearest bin), natural log of (mel power + log_floor). No centre
padding: frame t covers samples [t*hop, t*hop + n_fft)."""
import numpy as np


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0)


def mel_filter_bank(sample_rate, n_fft, n_mels, f_min, f_max):
    n_bins = n_fft // 2 + 1
    lo, hi = hz_to_mel(f_min), hz_to_mel(f_max)
    edges = mel_to_hz(lo + np.arange(n_mels + 2) * (hi - lo) / (n_mels + 1))
    freqs = np.arange(n_bins) * sample_rate / n_fft
    fb = np.zeros((n_mels, n_bins))
    for m in range(n_mels):
        left, centre, right = edges[m], edges[m + 1], edges[m + 2]
        w = np.where((freqs <= left) | (freqs >= right), 0.0,
                     np.where(freqs <= centre, (freqs - left) / (centre - left), (right - freqs) / (right - centre)))
        # the TS code keeps only the first contiguous run of positive weights; triangles have one run anyway
        if not np.any(w > 0):
            w[min(n_bins - 1, int(round(centre / (sample_rate / n_fft))))] = 1.0
        fb[m] = w
    return fb


class LogMel:
    def __init__(self, cfg):
        self.cfg = cfg
        self.n_fft = cfg['nFft']
        self.hop = cfg['hopLength']
        self.floor = cfg.get('logFloor', 1e-6)
        n = np.arange(self.n_fft)
        self.window = 0.5 - 0.5 * np.cos(2 * np.pi * n / self.n_fft)
        self.fb = mel_filter_bank(cfg['sampleRate'], self.n_fft, cfg['nMels'], cfg['fMin'], cfg['fMax'])

    def frames(self, n_samples):
        return 0 if n_samples < self.n_fft else 1 + (n_samples - self.n_fft) // self.hop

    def __call__(self, x):
        """[nMels, frames] float32 of a float waveform."""
        x = np.asarray(x, dtype=np.float64)
        t = self.frames(len(x))
        if t == 0:
            return np.zeros((self.fb.shape[0], 0), np.float32)
        idx = np.arange(self.n_fft)[None, :] + self.hop * np.arange(t)[:, None]
        spec = np.abs(np.fft.rfft(x[idx] * self.window, axis=1)) ** 2
        return np.log(spec @ self.fb.T + self.floor).T.astype(np.float32)
