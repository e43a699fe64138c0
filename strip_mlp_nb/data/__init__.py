"""Datasets and transforms: the embedded dataset, Fashion-MNIST, CIFAR, Caltech-101, image folders."""
