import { describe, expect, it } from 'vitest';
import { customer } from '../test/fixtures';
import { customerChanges, customerError, customerFieldOf, customerForm, emptyCustomerForm, newCustomerBody } from './CustomerFields';

describe('the customer form', () => {
  it('creates with what was filled in, trimmed; empty fields are left out (the server checks the rest)', () => {
    expect(newCustomerBody(emptyCustomerForm({ name: ' Ana Souza ', document: ' 529.982.247-25', phone: '', email: '  ' }))).toEqual({
      name: 'Ana Souza',
      document: '529.982.247-25',
    });
    // No check here that could disagree with the server: an alphanumeric CNPJ, a short one, go as typed.
    expect(newCustomerBody(emptyCustomerForm({ name: 'Alfa', document: '12abc34501de35' })).document).toBe('12abc34501de35');
    expect(newCustomerBody(emptyCustomerForm())).toEqual({ name: '' });
  });

  it('edits only what changed; an emptied field is cleared with null', () => {
    const ana = customer(3, { name: 'Ana Souza', document: '529.982.247-25', document_type: 'CPF', phone: '(11) 98765-4321', email: null });
    const form = customerForm(ana);
    expect(form).toEqual({ name: 'Ana Souza', document: '529.982.247-25', phone: '(11) 98765-4321', email: '' });
    expect(customerChanges(ana, form)).toEqual({});
    expect(customerChanges(ana, { ...form, email: ' ana@exemplo.com.br ' })).toEqual({ email: 'ana@exemplo.com.br' });
    expect(customerChanges(ana, { ...form, phone: '', name: 'Ana S. Souza' })).toEqual({ name: 'Ana S. Souza', phone: null });
    expect(customerChanges(ana, { ...form, document: '' })).toEqual({ document: null });
  });

  it('puts each of the server’s refusals next to the field it is about', () => {
    expect(customerFieldOf('CPF inválido: dígito verificador não confere')).toBe('document');
    expect(customerFieldOf('CNPJ deve ter 14 caracteres')).toBe('document');
    expect(customerFieldOf('Já existe um cliente com este CPF/CNPJ')).toBe('document');
    expect(customerFieldOf('document deve ser texto')).toBe('document');
    expect(customerFieldOf('Telefone inválido: use de 8 a 15 dígitos, com DDD (ex.: (11) 98765-4321)')).toBe('phone');
    expect(customerFieldOf('E-mail inválido (ex.: nome@exemplo.com.br, até 254 caracteres)')).toBe('email');
    expect(customerFieldOf('Nome do cliente é obrigatório')).toBe('name');
    expect(customerFieldOf('Nome do cliente deve ter no máximo 200 caracteres')).toBe('name');
    expect(customerFieldOf('Não foi possível falar com o servidor.')).toBeNull();
    expect(customerError(new Error('CNPJ deve ter 14 caracteres'))).toEqual({ field: 'document', message: 'CNPJ deve ter 14 caracteres' });
  });
});
