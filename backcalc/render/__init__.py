"""Renderers: each turns a plain Result into one output format; none computes gradients."""
